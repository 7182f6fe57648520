/**
 * Plain reads of the API that answer what the contract leaves open: which
 * `page[size]` the API honours, what `filter[search]` matches, whether
 * `auth` values come back, who an API creation is recorded as created by.
 * Reads only: nothing here changes the hub.
 */
import type { CycleClient } from "../../provider/api/client";
import { CycleApiError } from "../../provider/api/errors";
import type { Integration } from "../../provider/api/types";

function refusal(err: unknown): string {
  if (err instanceof CycleApiError) return err.code ? `${err.status ?? "?"} ${err.code}` : err.kind;
  throw err;
}

// ---------------------------------------------------------------------------
// Page sizes
// ---------------------------------------------------------------------------

/** The sizes asked for; 101 is past the contract's documented maximum (100). */
export const PAGE_SIZES_ASKED = [1, 2, 5, 10, 20, 25, 50, 100, 101] as const;

export interface PageSizeAnswer {
  /** `page[size]` asked for; undefined: none sent (the API's default). */
  asked?: number;
  /** Items on page 1, when the API answered. */
  served?: number;
  /** The error when it refused, e.g. `422 422.invalid-argument`. */
  refused?: string;
}

export interface PagingObservation {
  /** Integrations in the hub, counted by paging at a size the API honoured in full. */
  total: number;
  answers: PageSizeAnswer[];
  /** The most items a page held when it could have held more; absent when no page was short. */
  cap?: number;
  /** How many of `total` a listing at `page[size]=100`, paged until an empty page (what the provider does), saw. */
  seenAtSize100: number;
  conclusion: string;
}

export async function observePaging(client: CycleClient): Promise<PagingObservation> {
  const answers: PageSizeAnswer[] = [];
  for (const asked of [undefined, ...PAGE_SIZES_ASKED]) {
    try {
      const page = await client.listIntegrationsPage(1, asked === undefined ? {} : { pageSize: asked });
      answers.push({ asked, served: page.length });
    } catch (err) {
      answers.push({ asked, refused: refusal(err) });
    }
  }
  // Count the hub at the largest size served in full (1 when none was): a cap cannot hide items there.
  const full = answers.filter((a) => a.asked !== undefined && a.served === a.asked).map((a) => a.asked!);
  const referenceSize = Math.max(1, ...full);
  const total = (await client.listIntegrations({ pageSize: referenceSize })).length;
  const seenAtSize100 = (await client.listIntegrations({ pageSize: 100 })).length;

  const short = answers.filter((a) => a.served !== undefined && a.asked !== undefined && a.served < Math.min(a.asked, total));
  const cap = short.length > 0 ? Math.max(...short.map((a) => a.served!)) : undefined;
  return { total, answers, cap, seenAtSize100, conclusion: pagingConclusion(answers, total, cap, seenAtSize100) };
}

function pagingConclusion(answers: PageSizeAnswer[], total: number, cap: number | undefined, seenAtSize100: number): string {
  const parts: string[] = [];
  if (cap !== undefined) parts.push(`a page holds at most ${cap} items whatever page[size] asks`);
  else if (total >= 100) parts.push("every page[size] up to 100 honoured");
  else parts.push(`no cap seen: every page[size] was honoured as far as the hub's ${total} integration(s) can show (sizes above ${total} untested)`);
  const dflt = answers.find((a) => a.asked === undefined);
  if (dflt?.served !== undefined && total > 20) parts.push(`default page size ${dflt.served}`);
  const over = answers.find((a) => a.asked === 101);
  if (over) parts.push(over.refused ? `page[size]=101 refused (${over.refused})` : `page[size]=101 accepted (${over.served} served)`);
  parts.push(
    seenAtSize100 === total ? "paging at 100 until an empty page lost nothing" : `paging at 100 until an empty page saw only ${seenAtSize100} of ${total}`,
  );
  return parts.join("; ");
}

// ---------------------------------------------------------------------------
// filter[search]
// ---------------------------------------------------------------------------

export interface SearchObservation {
  /** Found by a part of its name; by the same part in upper case. */
  byName?: boolean;
  byNameOtherCase?: boolean;
  /** Found by its identifier (which shares no word with its name). */
  byIdentifier?: boolean;
  /** Found by its vendor; undefined when the name or identifier contains the vendor (inconclusive). */
  byVendor?: boolean;
  refused?: string;
  conclusion: string;
}

export interface SearchTarget {
  id: string;
  /** A part of the name found nowhere in the identifier or vendor. */
  nameToken: string;
  name: string;
  identifier: string;
  vendor: string;
}

export async function observeSearch(client: CycleClient, target: SearchTarget): Promise<SearchObservation> {
  const finds = async (search: string) => (await client.listIntegrations({ filter: { search } })).some((i) => i.id === target.id);
  try {
    const byName = await finds(target.nameToken);
    const byNameOtherCase = await finds(target.nameToken.toUpperCase());
    const byIdentifier = target.name.includes(target.identifier) ? undefined : await finds(target.identifier);
    const vendorElsewhere = target.name.includes(target.vendor) || target.identifier.includes(target.vendor);
    const byVendor = vendorElsewhere ? undefined : await finds(target.vendor);
    const matched = [byName ? "name" : undefined, byIdentifier ? "identifier" : undefined, byVendor ? "vendor" : undefined].filter(Boolean);
    const conclusion =
      matched.length === 0
        ? "filter[search] found the integration by none of name, identifier, vendor"
        : `filter[search] matches ${matched.join(", ")}${byName && !byNameOtherCase ? " (case-sensitive)" : byName ? " (case-insensitive)" : ""}; not ${["name", "identifier", "vendor"].filter((f) => !matched.includes(f)).join(", ") || "-"}`;
    return { byName, byNameOtherCase, byIdentifier, byVendor, conclusion };
  } catch (err) {
    const refused = refusal(err);
    return { refused, conclusion: `filter[search] refused: ${refused}` };
  }
}

// ---------------------------------------------------------------------------
// What an integration's answer shows
// ---------------------------------------------------------------------------

export interface AuthEcho {
  /** What the created integration's `auth` was: `null`, an object of nulls, or an object with values. */
  ours: "null" | "all null" | "values";
  /** Of the hub's integrations read (values never kept), how many showed a non-null auth value. */
  hubWithValues: number;
  hubRead: number;
  conclusion: string;
}

function authShape(i: Integration): AuthEcho["ours"] {
  if (i.auth === null || i.auth === undefined) return "null";
  return Object.values(i.auth).some((v) => v !== null && v !== undefined && v !== "") ? "values" : "all null";
}

export function observeAuthEcho(ours: Integration, hub: readonly Integration[]): AuthEcho {
  const shapes = hub.map(authShape);
  const hubWithValues = shapes.filter((s) => s === "values").length;
  const withFields = shapes.filter((s) => s !== "null").length;
  const conclusion =
    hubWithValues > 0
      ? `auth values are echoed (${hubWithValues} of ${hub.length} integrations in the hub showed some)`
      : withFields > 0
        ? `no auth value came back: ${withFields} integration(s) answered an auth object of nulls (not echoed, or never set)`
        : "not observable: no integration in the hub has auth fields (the one created needs none)";
  return { ours: authShape(ours), hubWithValues, hubRead: hub.length, conclusion };
}
