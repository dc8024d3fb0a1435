/**
 * Load for a profile: `node drive.js <url> [calls]` sends `calls` (default 20,000) sequential keep-alive
 * POST /inference calls with the seed's single-row bodies, the shape of the seed protocol, and prints µs/call.
 * It first prints the monotonic time the load starts at, so a profile can leave out the server's boot.
 */
import { createClient } from "../http/client";
import { singleRowBodies } from "../http/inputs";

async function main(): Promise<void> {
  const [url, n = "20000"] = process.argv.slice(2);
  const client = createClient(url, "keepalive");
  const bodies = singleRowBodies();
  const total = Number(n);
  // The monotonic clock V8's profiler stamps samples with: profile-summary.ts counts from here on.
  console.log(`load from ${process.hrtime.bigint() / 1000n} µs`);
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const res = await client.post("/inference", bodies[i % bodies.length]);
    if (!res.ok) throw new Error(`${res.status} ${res.error ?? res.body}`);
  }
  console.log(`${total} calls, ${(((performance.now() - t0) / total) * 1000).toFixed(1)} µs/call`);
  client.close();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
