import type { CycleClient } from "../api/client";
import { Catalogue, toCatalogue } from "../catalogue";

export type { Catalogue } from "../catalogue";

/** How long a fetched catalogue is trusted within one provider session. */
const CATALOGUE_TTL_MS = 5 * 60_000;

/**
 * The vendor catalogue of each hub, fetched once per session (and refreshed
 * after a few minutes): check runs for every resource, and the catalogue
 * rarely changes.
 */
export class CatalogueCache {
  private readonly byHub = new Map<string, { at: number; catalogue: Promise<Catalogue> }>();

  get(client: CycleClient, hubId: string, now: number = Date.now()): Promise<Catalogue> {
    const key = `${client.baseUrl}|${hubId}`;
    const hit = this.byHub.get(key);
    if (hit && now - hit.at < CATALOGUE_TTL_MS) return hit.catalogue;
    const catalogue = client.getAvailableIntegrations({ hubId }).then(toCatalogue);
    this.byHub.set(key, { at: now, catalogue });
    // A failed fetch is not cached: the next call asks again.
    catalogue.catch(() => this.byHub.delete(key));
    return catalogue;
  }
}
