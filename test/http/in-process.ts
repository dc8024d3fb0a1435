/**
 * The app in this process on a free loopback port, serving the bundled model, for the HTTP tests where a
 * separate process is not the point. The server is set up as main.ts sets it up (configureServer).
 */
import * as fs from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { createApp, type AppOptions } from "../../src/server/app";
import { createHttpServer, type ServerTimeouts } from "../../src/server/http-server";
import { ModelSlot } from "../../src/server/model-slot";
import { ServedModel } from "../../src/server/served-model";
import { REPO_ROOT } from "../support/paths";

export const MODEL_PATH = path.join(REPO_ROOT, "model", "model.txt");
let seed: ServedModel | undefined;

/** The bundled model, loaded once for all the tests of a file. */
export function seedModel(): ServedModel {
  seed ??= ServedModel.fromText(fs.readFileSync(MODEL_PATH, "utf8"), "model");
  return seed;
}

export interface InProcessServer {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  /** Lines the app logged. */
  readonly logs: string[];
  close(): Promise<void>;
}

export const TEST_TIMEOUTS: ServerTimeouts = {
  headersTimeoutMs: 2000,
  requestTimeoutMs: 3000,
};

export async function listenInProcess(
  options: Partial<Omit<AppOptions, "slot" | "log">> = {},
  model: ServedModel | null = seedModel(),
  timeouts: ServerTimeouts = TEST_TIMEOUTS,
): Promise<InProcessServer> {
  const slot = new ModelSlot();
  if (model !== null) slot.set(model);
  const logs: string[] = [];
  const app = createApp({
    slot,
    maxBodyBytes: 1024 * 1024,
    serverVersion: "test",
    ...options,
    log: (line) => logs.push(line),
  });
  const server = createHttpServer(app, timeouts).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    server,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
