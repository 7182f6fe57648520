/**
 * Query-string parsing: which parameters an endpoint takes, `meta`, and the
 * list options (paging, sort, filters). Unknown parameters, repeated ones and
 * values out of range are refused with `422.invalid-argument`, so a client
 * that misspells `page[size]` finds out here rather than silently getting 20.
 */
import { INTEGRATION_CATEGORIES, INTEGRATION_STATES, Integration, IntegrationCategory, IntegrationStateName, SortField } from "../provider/api/contract";
import { invalidArgument } from "./errors";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

const META_VALUES = ["definition"] as const;
export type MetaValue = (typeof META_VALUES)[number];

/** Refuses any parameter not in `allowed`, and any parameter given twice. */
export function checkParams(params: URLSearchParams, allowed: readonly string[]): void {
  const seen = new Set<string>();
  for (const key of params.keys()) {
    if (!allowed.includes(key)) throw invalidArgument(`unknown query parameter "${key}"`);
    if (seen.has(key)) throw invalidArgument(`query parameter "${key}" given more than once`);
    seen.add(key);
  }
}

/** `meta=definition` (comma-separated); an unknown value is an error. */
export function parseMeta(params: URLSearchParams): Set<MetaValue> {
  const raw = params.get("meta");
  const out = new Set<MetaValue>();
  if (raw === null) return out;
  for (const part of raw.split(",")) {
    if (!(META_VALUES as readonly string[]).includes(part)) {
      throw invalidArgument(`unknown meta value "${part}"; supported: ${META_VALUES.join(", ")}`);
    }
    out.add(part as MetaValue);
  }
  return out;
}

type SortValue = string | number;

/** Fields a list can be sorted by (exactly the contract's), and how to read each from an integration. */
const SORT_FIELDS: Record<string, (i: Integration) => SortValue> = {
  id: (i) => i.id,
  name: (i) => i.name.toLowerCase(),
  identifier: (i) => i.identifier,
  vendor: (i) => i.vendor,
  "state.current": (i) => i.state.current,
  "state.changed": (i) => Date.parse(i.state.changed),
  "events.created": (i) => Date.parse(i.events.created),
  "events.updated": (i) => Date.parse(i.events.updated),
  "events.deleted": (i) => Date.parse(i.events.deleted),
} satisfies Record<SortField, (i: Integration) => SortValue>;
export const SORTABLE_FIELDS = Object.keys(SORT_FIELDS);

export interface SortKey {
  read: (i: Integration) => SortValue;
  descending: boolean;
}

export interface ListQuery {
  pageNumber: number;
  pageSize: number;
  sort: SortKey[];
  state?: IntegrationStateName;
  search?: string;
  category?: IntegrationCategory;
  meta: Set<MetaValue>;
}

export const LIST_PARAMS = ["page[number]", "page[size]", "sort", "filter[state]", "filter[search]", "filter[category]", "meta"] as const;

function positiveInt(params: URLSearchParams, key: string, fallback: number, max: number): number {
  const raw = params.get(key);
  if (raw === null) return fallback;
  if (!/^[0-9]+$/.test(raw)) throw invalidArgument(`${key} must be a positive integer`);
  const n = Number(raw);
  if (n < 1 || n > max) throw invalidArgument(`${key} must be between 1 and ${max}`);
  return n;
}

function parseSort(raw: string | null): SortKey[] {
  if (raw === null) return [];
  return raw.split(",").map((part) => {
    const descending = part.startsWith("-");
    const name = descending ? part.slice(1) : part;
    const read = SORT_FIELDS[name];
    if (!read) throw invalidArgument(`cannot sort by "${name}"; sortable: ${SORTABLE_FIELDS.join(", ")}`);
    return { read, descending };
  });
}

function oneOf<T extends string>(params: URLSearchParams, key: string, values: readonly T[]): T | undefined {
  const raw = params.get(key);
  if (raw === null) return undefined;
  if (!(values as readonly string[]).includes(raw)) throw invalidArgument(`${key} must be one of ${values.join(", ")}`);
  return raw as T;
}

export function parseListQuery(params: URLSearchParams): ListQuery {
  checkParams(params, LIST_PARAMS);
  const search = params.get("filter[search]");
  return {
    // No upper bound on the page number: a page past the end is just empty.
    pageNumber: positiveInt(params, "page[number]", 1, Number.MAX_SAFE_INTEGER),
    pageSize: positiveInt(params, "page[size]", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE),
    sort: parseSort(params.get("sort")),
    state: oneOf(params, "filter[state]", INTEGRATION_STATES),
    // An empty search matches everything, so it is the same as none.
    search: search ? search : undefined,
    category: oneOf(params, "filter[category]", INTEGRATION_CATEGORIES),
    meta: parseMeta(params),
  };
}

/** Compares two integrations by the sort keys; ties keep creation order. */
export function compareBy(keys: SortKey[]): (a: Integration, b: Integration) => number {
  return (a, b) => {
    for (const k of keys) {
      const x = k.read(a);
      const y = k.read(b);
      if (x < y) return k.descending ? 1 : -1;
      if (x > y) return k.descending ? -1 : 1;
    }
    return 0;
  };
}
