/**
 * The lookups every face offers (the dynamic face's functions, the native
 * plugin's Invoke): one integration, every integration, the catalogue. Plain
 * reads over a client and a hub; no Pulumi in here, so the native plugin can
 * load it without the Pulumi SDK.
 *
 * Integrations are matched by what the API reads back exactly (`id`, or
 * `vendor` and `identifier`), never by display name, and come back without
 * credentials.
 */
import type { CycleClient } from "./api/client";
import { isIntegrationNotFound } from "./api/errors";
import { Redactor } from "./api/redact";
import type { Integration, IntegrationCategory, IntegrationDefinition, ListIntegrationsQuery } from "./api/types";
import { catalogueEntries } from "./catalogue";
import { CycleAmbiguityError, CycleNotFoundError } from "./errors";
import { isDeleted, isDeletingOrDeleted } from "./resource/states";

/** Which integration: by its ID, or by its vendor and identifier (both matched exactly). */
export type IntegrationRef = { id: string } | { vendor: string; identifier: string };

/** One entry of the catalogue, with its category. */
export interface AvailableIntegration extends IntegrationDefinition {
  category: IntegrationCategory;
}

/**
 * The one integration `ref` names, without credentials. By ID: a deleted one
 * is not found. By vendor and identifier: integrations being deleted are left
 * out (a replacement leaves its predecessor deleting under the same
 * identifier), and several matches are an error naming each, never a guess.
 */
export async function lookupIntegration(client: CycleClient, hubId: string, ref: IntegrationRef): Promise<Integration> {
  if ("id" in ref) {
    let found: Integration;
    try {
      found = await client.getIntegration(ref.id, { hubId });
    } catch (err) {
      if (isIntegrationNotFound(err)) throw new CycleNotFoundError(`No integration ${ref.id} in hub ${hubId}`);
      throw err;
    }
    if (isDeleted(found)) throw new CycleNotFoundError(`Integration ${ref.id} in hub ${hubId} is deleted`);
    return withoutAuth(found);
  }
  // Matched here, over every page: the contract does not say what `filter[search]` matches.
  const matches = (await client.listIntegrations({}, { hubId })).filter(
    (i) => i.vendor === ref.vendor && i.identifier === ref.identifier && !isDeletingOrDeleted(i),
  );
  const what = `of vendor \`${ref.vendor}\` with identifier \`${ref.identifier}\` in hub ${hubId}`;
  if (matches.length === 0) throw new CycleNotFoundError(`No integration ${what}`);
  if (matches.length > 1) {
    const ids = matches.map((i) => i.id);
    throw new CycleAmbiguityError(`${matches.length} integrations ${what}: ${ids.join(", ")}; look one up by \`id\``, ids);
  }
  return withoutAuth(matches[0]);
}

/** Every integration of the hub (every page), without credentials. */
export async function listIntegrations(client: CycleClient, hubId: string, query: ListIntegrationsQuery = {}): Promise<Integration[]> {
  return (await client.listIntegrations(query, { hubId })).map(withoutAuth);
}

/** Every definition the hub offers, flattened, each with its category. */
export async function availableIntegrations(client: CycleClient, hubId: string): Promise<AvailableIntegration[]> {
  return catalogueEntries(await client.getAvailableIntegrations({ hubId })).map(({ definition, category }) => ({ ...definition, category }));
}

/**
 * The integration with `auth` emptied. A vendor's verification message may
 * quote a credential, so the state error is redacted with the values the API
 * echoed, before they are dropped.
 */
function withoutAuth(i: Integration): Integration {
  const message = i.state.error?.message;
  const state =
    message === undefined || i.auth == null
      ? i.state
      : { ...i.state, error: { ...i.state.error, message: new Redactor(Object.values(i.auth)).redact(message) } };
  return { ...i, auth: null, state };
}
