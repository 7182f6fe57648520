/**
 * The Cycle API contract as this project reads it: zod schemas of every
 * request and answer the project uses, written from the public spec
 * (`cycleplatform/api-spec`) with the departures `contract/README.md` lists.
 * The one source: the TypeScript types are inferred from these schemas, the
 * JSON schemas of `contract/schemas/` are generated from them, the client
 * reads answers through schemas derived from them (`../schemas.ts`), and the
 * emulator answers what they describe.
 *
 * Nothing here depends on the client; the emulator imports this module and
 * nothing else of `provider/`.
 */
export * from "./common";
export * from "./errors";
export * from "./integrations";
export * from "./jobs";
export * from "./requests";
export * from "./documents";
