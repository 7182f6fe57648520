/** Text helpers shared by the files `pulumi-cycle import` writes. */

/** One line of a comment (`//`, `/* *\/` or `#`), with nothing that could end it. */
export function commentSafe(s: string): string {
  return s.replace(/\*\//g, "* /").replace(/[\r\n]+/g, " ");
}
