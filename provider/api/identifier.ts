/**
 * The platform's rule for an identifier left out of a create: the name,
 * lowercased, each run of other characters than `a-z0-9` made one `-`, no
 * `-` at either end ("My Container" -> `my-container`). The client sends it
 * explicitly: the spec's create body lists `identifier` as required while its
 * description says the platform derives it, and sending the derived value is
 * valid under both readings.
 */
export function deriveIdentifier(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}
