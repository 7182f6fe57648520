/**
 * Reading the hub: which vendors it offers (and what each needs), and which
 * integrations it has. Plain async functions over the provider's client, for
 * programs and scripts; they use the same configuration as the resource
 * (`cycle:apiKey`, `cycle:hubId`, `cycle:apiUrl`, or CYCLE_* variables).
 */
import { getAvailableIntegrations, getIntegrations } from "pulumi-cycle";

async function main() {
  const catalogue = await getAvailableIntegrations();
  const vendors = catalogue.map((d) => ({
    vendor: d.vendor,
    category: d.category,
    verifies: d.supports_verification,
    needs: [...Object.entries(d.fields.auth ?? {}), ...Object.entries(d.fields.extra ?? {})].filter(([, f]) => f.required).map(([key]) => key),
  }));
  // Credentials are removed from what getIntegrations returns.
  const existing = (await getIntegrations({ filter: { state: "live" } })).map((i) => ({ id: i.id, vendor: i.vendor, name: i.name }));
  return { vendors, existing };
}

export = main();
