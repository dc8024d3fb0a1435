/** Which targets each protocol measures, from the fleet (local ids, or the remote ones). */
import { ENDPOINT_ROLES, type Fleet } from "../fleet";
import { singleRowBodies } from "../inputs";
import type { Role } from "../targets";

export const INFERENCE = "/inference";

/** The single-worker targets the sequential protocols interleave: the floors, bare, then each endpoint. */
export function sequentialIds(fleet: Fleet): string[] {
  const ids = [fleet.one("floor"), fleet.one("go-floor"), fleet.one("bare")];
  for (const role of ENDPOINT_ROLES) ids.push(fleet.one(role, false), fleet.one(role, true));
  return [...new Set(ids.filter((id): id is string => id !== null))];
}

/** The untraced single-worker target of each endpoint role present. */
export function untracedEndpoints(fleet: Fleet): { role: Role; id: string }[] {
  return ENDPOINT_ROLES.flatMap((role) => {
    const id = fleet.one(role, false);
    return id === null ? [] : [{ role, id }];
  });
}

/** The traced single-worker target of each endpoint role (for remote targets: as deployed). */
export function tracedEndpoints(fleet: Fleet): string[] {
  return ENDPOINT_ROLES.flatMap((role) => fleet.one(role, true) ?? []);
}

/** The seed's pairs, control against ts: untraced and traced locally, as deployed remotely. */
export function tsControlPairs(fleet: Fleet): { pair: string; ts: string; control: string }[] {
  if (!fleet.local) {
    return fleet.has("ts") && fleet.has("control")
      ? [{ pair: "as deployed", ts: "ts", control: "control" }]
      : [];
  }
  return [false, true].flatMap((traced) => {
    const ts = fleet.one("ts", traced);
    const control = fleet.one("control", traced);
    return ts && control ? [{ pair: traced ? "traced" : "untraced", ts, control }] : [];
  });
}

/** What every sequential client job shares: the targets by name and URL, the route, the seed's single rows. */
export function singleRowJob(
  fleet: Fleet,
  ids: string[],
): { targets: { name: string; url: string }[]; path: string; bodies: string[] } {
  return { targets: ids.map((id) => fleet.spec(id)), path: INFERENCE, bodies: singleRowBodies() };
}
