/** What an integration's state means for the resource. */
import type { Integration } from "../api/types";

/** Deleted: gone for good (a `deleting` one is not: its delete job can fail and roll back). */
export function isDeleted(i: Integration): boolean {
  return i.state.current === "deleted";
}

/** Deleting or deleted: not to be adopted or bound to a new resource. */
export function isDeletingOrDeleted(i: Integration): boolean {
  return i.state.current === "deleting" || i.state.current === "deleted";
}
