/**
 * Keeps CPUs busy at idle priority: a busy loop under SCHED_IDLE (`chrt --idle 0`), pinned to `cpus`. Any other
 * process on those CPUs preempts it at once, so it takes no time from a server; what it changes is that the CPU
 * never goes idle between two calls, and so never has to be woken (on a virtual machine, an idle virtual CPU is
 * halted, and waking it costs tens of µs). Sequential calls measured beside it leave out that cost, as a server
 * under load does; the Go runtime avoids part of it by itself, spinning a while before it parks.
 */
import { spawn, spawnSync } from "node:child_process";

/** Starts the loop; the returned function stops it. Throws where `chrt` (util-linux) is missing. */
export function keepCpusBusy(cpus: string): () => void {
  if (spawnSync("chrt", ["--version"], { stdio: "ignore" }).status !== 0)
    throw new Error("chrt (util-linux) is not installed");
  const loop = spawn("chrt", ["--idle", "0", "taskset", "-c", cpus, process.execPath, "-e", "for (;;);"], {
    stdio: "ignore",
  });
  const stop = (): void => {
    loop.kill("SIGKILL");
  };
  process.once("exit", stop);
  return () => {
    process.off("exit", stop);
    stop();
  };
}
