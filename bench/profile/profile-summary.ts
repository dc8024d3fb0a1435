/**
 * Reads a V8 .cpuprofile (from `node --cpu-prof`) and prints where the self time went: the top functions, and
 * the same time summed per package (a node_modules package, our own src/ or dist/ folder, or Node's internals),
 * each as a share of the busy (non-idle) time and in µs per call.
 *
 *   node dist/bench/profile/profile-summary.js <file.cpuprofile> [--from <monotonic µs>] [--calls n] [--top 30]
 * --from skips the samples before the load started (drive.ts prints that time), so boot and warm-up are left out.
 */
import * as fs from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (url === "") return "(V8 / native)";
  const nm = url.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const parts = url.slice(nm + "node_modules/".length).split("/");
    return parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (url.startsWith("node:")) return `node:${url.slice(5).split("/")[0]}`;
  const dist = url.match(/\/dist\/((?:src|bench)\/[^/]+)/);
  return dist ? dist[1] : url;
}

function main(): void {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: number): number => {
    const i = args.indexOf(`--${name}`);
    return i < 0 ? fallback : Number(args[i + 1]);
  };
  const file = args[0];
  const from = opt("from", 0);
  const calls = opt("calls", 0);
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let t = profile.startTime;
  let total = 0;
  let idle = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    if (t < from) return;
    if ((byId.get(id) as ProfileNode).callFrame.functionName === "(idle)") {
      idle += dt;
      return;
    }
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    total += dt;
  });
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = (byId.get(id) as ProfileNode).callFrame;
    const where = url === "" ? "" : ` ${url.replace(/^.*\/(node_modules|dist)\//, "$1/")}:${lineNumber + 1}`;
    const fn = `${functionName || "(anonymous)"}${where}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  }
  const print = (title: string, table: Map<string, number>, top: number): void => {
    console.log(`\n${title}`);
    for (const [name, us] of [...table].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(
        `${((100 * us) / total).toFixed(1).padStart(5)}%  ${calls > 0 ? `${(us / calls).toFixed(2).padStart(7)} µs/call` : `${(us / 1000).toFixed(0).padStart(6)} ms`}  ${name}`,
      );
    }
  };
  const perCall = calls > 0 ? `, ${(total / calls).toFixed(1)} µs per call` : "";
  console.log(`${file}: ${(total / 1e6).toFixed(2)} s busy${perCall}, ${(idle / 1e6).toFixed(2)} s idle`);
  print("self time by package", byPackage, 20);
  print("self time by function", byFunction, opt("top", 30));
}

main();
