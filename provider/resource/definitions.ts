import type { CycleClient } from "../api/client";
import { Catalogue, toCatalogue } from "../catalogue";

export type { Catalogue, CatalogueEntry } from "../catalogue";

/** How long a fetched catalogue is trusted within one provider process. */
const CATALOGUE_TTL_MS = 5 * 60_000;

const cache = new Map<string, { at: number; catalogue: Promise<Catalogue> }>();

/**
 * The vendor catalogue of a hub, fetched once per process (and refreshed
 * after a few minutes): check runs for every resource, and the catalogue
 * rarely changes.
 */
export function getCatalogue(client: CycleClient, hubId: string, now: number = Date.now()): Promise<Catalogue> {
  const key = `${client.baseUrl}|${hubId}`;
  const hit = cache.get(key);
  if (hit && now - hit.at < CATALOGUE_TTL_MS) return hit.catalogue;
  const catalogue = client.getAvailableIntegrations({ hubId }).then(toCatalogue);
  cache.set(key, { at: now, catalogue });
  // A failed fetch is not cached: the next call asks again.
  catalogue.catch(() => cache.delete(key));
  return catalogue;
}
