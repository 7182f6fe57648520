import { ID_PATTERN } from "./types";

/**
 * Refuses anything that is not a Cycle object ID before it is put into a URL
 * path. Without this, an ID like `../jobs/x` or `a?b=c` read from state or
 * user input would silently address another endpoint.
 */
export function assertCycleId(kind: string, id: unknown): string {
  if (typeof id !== "string" || !ID_PATTERN.test(id)) {
    const shown = typeof id === "string" ? JSON.stringify(id.length > 40 ? `${id.slice(0, 40)}…` : id) : typeof id;
    throw new TypeError(`${kind} must be a Cycle ID of 24 lowercase hex characters; got ${shown}`);
  }
  return id;
}

export function isCycleId(id: unknown): id is string {
  return typeof id === "string" && ID_PATTERN.test(id);
}
