/** Memory per local target: RSS at start-up, at rest, the highest sampled under load, and each process's VmHWM. */
import type { Fleet } from "../fleet";
import { processTree, treeHwmKiB } from "../resources";
import type { MemoryRecord } from "../result";

export function memoryRecords(fleet: Fleet): MemoryRecord[] {
  return [...fleet.targets.values()].flatMap((t) =>
    t.pid === null
      ? []
      : [
          {
            target: t.id,
            processes: processTree(t.pid).length,
            startupKiB: fleet.startupKiB.get(t.id) ?? 0,
            restKiB: fleet.restKiB.get(t.id) ?? 0,
            peakKiB: fleet.peakKiB.get(t.id) ?? 0,
            hwmKiB: treeHwmKiB(t.pid),
          },
        ],
  );
}
