/** What every part of the contract uses: IDs, times, creators. */
import { z } from "zod";
import { named } from "./registry";

/** Pattern every Cycle object ID matches. */
export const ID_PATTERN = /^[a-f0-9]{24}$/;

export const ID = named(z.string().regex(ID_PATTERN), {
  id: "ID",
  title: "ID",
  description: "A 24-character lowercase hex object ID.",
  from: "components/schemas/ID.yml, components/schemas/HubID.yml",
  departs:
    "The spec's `format: objectid` (which JSON Schema validators do not know) is written as the pattern it stands for; HubID, a plain string in the spec, is an ID too.",
});
/** A 24-character lowercase hex object ID. */
export type CycleId = z.infer<typeof ID>;

export const DateTime = named(z.iso.datetime({ offset: true }), {
  id: "DateTime",
  title: "DateTime",
  description: "An RFC 3339 date-time; the zero time 0001-01-01T00:00:00Z means never.",
  from: "components/schemas/DateTime.yml",
});
/** An RFC 3339 date-time. `0001-01-01T00:00:00Z` means "never". */
export type DateTime = z.infer<typeof DateTime>;

export const ZERO_TIME: DateTime = "0001-01-01T00:00:00Z";

export const CREATOR_TYPES = ["account", "environment", "platform", "platform-pipeline", "employee", "api-key", "visitor"] as const;
export type CreatorType = (typeof CREATOR_TYPES)[number];

export const CreatorScope = named(z.object({ id: ID, type: z.enum(CREATOR_TYPES) }), {
  id: "CreatorScope",
  title: "CreatorScope",
  from: "components/schemas/creators/CreatorScope.yml",
});
export type CreatorScope = z.infer<typeof CreatorScope>;

/** A map of strings, e.g. an integration's `extra`. */
export const StringMap = z.record(z.string(), z.string());
