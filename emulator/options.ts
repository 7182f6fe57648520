/**
 * The behaviours the contract leaves open, as options. Every default is the
 * strictest reading: the one that gives a client the least help. A client
 * built and tested against the defaults therefore cannot come to depend on a
 * kindness the real API does not promise (echoed credentials, big pages, a
 * broad search, jobs readable at once, recognisable creators, a clock in
 * step with its own, vendor messages that never quote a credential). The lenient values stay available for tests that pin
 * other behaviour.
 */
import { CreatorType, CREATOR_TYPES } from "../provider/api/contract";
import { MAX_PAGE_SIZE } from "./query";

export const SEARCH_FIELDS = ["name", "identifier", "vendor"] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

/** Who an integration or job created through the API is recorded as created by. */
export const API_CREATOR_TYPES = ["account", "api-key"] as const satisfies readonly CreatorType[];
export type ApiCreatorType = (typeof API_CREATOR_TYPES)[number];

export interface BehaviourOptions {
  /** Answer stored credential values instead of null; default false (never echoed). */
  echoAuth?: boolean;
  /** The most items one page holds, whatever `page[size]` (1..100) asks; default 25. */
  maxPageSize?: number;
  /** What `filter[search]` matches (case-insensitive substring); default `["name"]`. */
  searchFields?: readonly SearchField[];
  /** How many reads of every new job answer `404.job` before it shows; default 1. */
  jobNotFoundReads?: number;
  /** Creator of what API calls create: `account` (the key owner's account) or `api-key` (the key); default `account`. */
  creatorType?: ApiCreatorType;
  /** The server's clock minus the machine's, in ms; default -90000 (90 s behind). */
  clockOffsetMs?: number;
  /** A failed verification's message quotes the rejected credential, as a vendor's message may; default true. */
  quoteCredentials?: boolean;
}

export type Behaviour = Required<BehaviourOptions>;

export const STRICT_BEHAVIOUR: Readonly<Behaviour> = Object.freeze({
  echoAuth: false,
  maxPageSize: 25,
  searchFields: Object.freeze<SearchField[]>(["name"]),
  jobNotFoundReads: 1,
  creatorType: "account",
  clockOffsetMs: -90_000,
  quoteCredentials: true,
});

/** The old, helpful behaviour, for tests that are about something else. */
export const LENIENT_BEHAVIOUR: Readonly<Behaviour> = Object.freeze({
  echoAuth: true,
  maxPageSize: MAX_PAGE_SIZE,
  searchFields: SEARCH_FIELDS,
  jobNotFoundReads: 0,
  creatorType: "api-key",
  clockOffsetMs: 0,
  quoteCredentials: false,
});

function check(ok: boolean, message: string): void {
  if (!ok) throw new RangeError(message);
}

/**
 * Fills in the strict defaults and refuses values out of range.
 * `redactAuth` is the former name of the inverse of `echoAuth`, still honoured.
 */
export function resolveBehaviour(opts: BehaviourOptions & { redactAuth?: boolean }): Behaviour {
  if (opts.redactAuth !== undefined && opts.echoAuth !== undefined && opts.redactAuth === opts.echoAuth) {
    throw new RangeError("redactAuth and echoAuth contradict each other; give echoAuth only");
  }
  const b: Behaviour = {
    echoAuth: opts.echoAuth ?? (opts.redactAuth === undefined ? STRICT_BEHAVIOUR.echoAuth : !opts.redactAuth),
    maxPageSize: opts.maxPageSize ?? STRICT_BEHAVIOUR.maxPageSize,
    searchFields: opts.searchFields ?? STRICT_BEHAVIOUR.searchFields,
    jobNotFoundReads: opts.jobNotFoundReads ?? STRICT_BEHAVIOUR.jobNotFoundReads,
    creatorType: opts.creatorType ?? STRICT_BEHAVIOUR.creatorType,
    clockOffsetMs: opts.clockOffsetMs ?? STRICT_BEHAVIOUR.clockOffsetMs,
    quoteCredentials: opts.quoteCredentials ?? STRICT_BEHAVIOUR.quoteCredentials,
  };
  check(Number.isInteger(b.maxPageSize) && b.maxPageSize >= 1 && b.maxPageSize <= MAX_PAGE_SIZE, `maxPageSize must be an integer in 1..${MAX_PAGE_SIZE}`);
  check(
    b.searchFields.length > 0 && b.searchFields.every((f) => (SEARCH_FIELDS as readonly string[]).includes(f)),
    `searchFields must be a non-empty list of ${SEARCH_FIELDS.join(", ")}`,
  );
  check(Number.isInteger(b.jobNotFoundReads) && b.jobNotFoundReads >= 0, "jobNotFoundReads must be a non-negative integer");
  check(
    (API_CREATOR_TYPES as readonly string[]).includes(b.creatorType) && (CREATOR_TYPES as readonly string[]).includes(b.creatorType),
    `creatorType must be one of ${API_CREATOR_TYPES.join(", ")}`,
  );
  check(Number.isInteger(b.clockOffsetMs), "clockOffsetMs must be an integer");
  return { ...b, searchFields: [...new Set(b.searchFields)] };
}
