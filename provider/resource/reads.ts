/**
 * Refresh by pages. A `pulumi refresh` reads every integration of the stack,
 * several at a time in one provider process. One GET each costs N requests;
 * one listing of the hub (every page, definitions embedded) costs
 * ⌈N / page size⌉ + 1. Reads that arrive together are therefore served from
 * one listing, kept for a short while for the reads that follow; a lone read
 * still costs one GET. An integration the listing does not hold gets its own
 * GET before it is declared gone: lists hide deleted integrations, and a
 * listing is a moment's picture.
 */
import type { CycleClient } from "../api/client";
import { isIntegrationNotFound } from "../api/errors";
import type { Integration } from "../api/types";

/** How long reads wait for others to arrive before deciding between a GET and a listing. */
const GATHER_MS = 15;
/** How long a listing serves later reads. Any write in this process ends it sooner. */
const LISTING_TTL_MS = 30_000;
/** Ask for the largest page the contract allows; the server may serve fewer (the client pages on). */
const PAGE_SIZE = 100;

interface Listing {
  at: number;
  byId: Promise<Map<string, Integration>>;
}

interface Waiting {
  ids: Set<string>;
  ready: Promise<void>;
}

/**
 * The listings and the reads gathering for one, per client (one per URL and
 * key in a session), per hub. One per provider session.
 */
export class Listings {
  private readonly listings = new Map<CycleClient, Map<string, Listing>>();
  private readonly gathering = new Map<CycleClient, Map<string, Waiting>>();

  /** Ends every listing: after a write, what was listed is no longer what the hub holds. */
  forget(): void {
    this.listings.clear();
  }

  /**
   * The integration as the hub holds it now (with its definition), or
   * "missing" when it is not found: from a listing when reads arrive
   * together, else from its own GET. Errors other than "not found" are thrown.
   */
  async read(client: CycleClient, hubId: string, id: string, now: () => number = Date.now): Promise<Integration | "missing"> {
    let listing = perHub(this.listings, client).get(hubId);
    if (listing && now() - listing.at > LISTING_TTL_MS) {
      perHub(this.listings, client).delete(hubId);
      listing = undefined;
    }
    if (!listing) {
      // Gather the reads arriving together; if more than this one came, list.
      const waitingHere = perHub(this.gathering, client);
      let waiting = waitingHere.get(hubId);
      if (!waiting) {
        const fresh: Waiting = { ids: new Set(), ready: new Promise((resolve) => setTimeout(resolve, GATHER_MS)) };
        waitingHere.set(hubId, fresh);
        void fresh.ready.then(() => waitingHere.delete(hubId));
        waiting = fresh;
      }
      waiting.ids.add(id);
      await waiting.ready;
      // Another read that waited with this one may have started the listing.
      listing = perHub(this.listings, client).get(hubId);
      if (!listing && waiting.ids.size > 1) {
        const started: Listing = { at: now(), byId: listAll(client, hubId) };
        perHub(this.listings, client).set(hubId, started);
        started.byId.catch(() => perHub(this.listings, client).delete(hubId));
        listing = started;
      }
    }
    if (listing) {
      const found = (await listing.byId).get(id);
      if (found) return found;
    }
    return readOne(client, hubId, id);
  }
}

function perHub<T>(map: Map<CycleClient, Map<string, T>>, client: CycleClient): Map<string, T> {
  let hubs = map.get(client);
  if (!hubs) map.set(client, (hubs = new Map<string, T>()));
  return hubs;
}

async function listAll(client: CycleClient, hubId: string): Promise<Map<string, Integration>> {
  const all = await client.listIntegrations({ pageSize: PAGE_SIZE }, { hubId, includeDefinition: true });
  return new Map(all.map((i) => [i.id, i]));
}

/** One GET of the integration (definition embedded); "missing" when the hub answers that it does not exist. */
export async function readOne(client: CycleClient, hubId: string, id: string): Promise<Integration | "missing"> {
  try {
    return await client.getIntegration(id, { hubId, includeDefinition: true });
  } catch (err) {
    if (isIntegrationNotFound(err)) return "missing";
    throw err;
  }
}
