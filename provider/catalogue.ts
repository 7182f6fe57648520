import type { AvailableIntegrations, IntegrationCategory, IntegrationDefinition } from "./api/types";

/**
 * The hub's catalogue as the API gives it is grouped by category; everything
 * that uses it (check, the lookups, `import`, `recover`) wants one entry per
 * vendor. This is the one place that flattens it.
 */
export interface CatalogueEntry {
  definition: IntegrationDefinition;
  category: IntegrationCategory;
}

/** The catalogue by vendor. */
export type Catalogue = Map<string, CatalogueEntry>;

/** Every definition with its category, in the API's order. */
export function catalogueEntries(available: AvailableIntegrations): CatalogueEntry[] {
  const out: CatalogueEntry[] = [];
  for (const [category, defs] of Object.entries(available)) {
    for (const definition of defs ?? []) out.push({ definition, category: category as IntegrationCategory });
  }
  return out;
}

/** The catalogue by vendor (a vendor listed twice: the later entry). */
export function toCatalogue(available: AvailableIntegrations): Catalogue {
  return new Map(catalogueEntries(available).map((e) => [e.definition.vendor, e]));
}
