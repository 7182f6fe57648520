/**
 * Adoption: taking over an integration that already exists in the hub
 * instead of creating one (`adoptId`, `adoptByIdentifier`), since the
 * engine's import does not work for dynamic resources. It applies to the
 * first create of a resource only (see `adoptionDone`): a replacement makes
 * a new integration.
 */
import type { CycleClient } from "../api/client";
import { isIntegrationNotFound } from "../api/errors";
import type { Integration } from "../api/types";
import { CycleAmbiguityError } from "../errors";
import type { EngineContext } from "./context";
import { createExactlyOnce } from "./creation";
import { deriveIdentifier } from "./identity";
import { IntegrationInputs, toApiAuth } from "./model";
import { patchBody } from "./patch";
import { isDeletingOrDeleted } from "./states";
import type { UnsettledCreate } from "./unsettled";

/** The adopted integration brought to the declared state, or a new one. */
export async function adoptOrCreate(
  ctx: EngineContext,
  client: CycleClient,
  hubId: string,
  inputs: IntegrationInputs,
  earlier?: UnsettledCreate,
): Promise<Integration> {
  // A resource whose earlier create never settled was never adopted either.
  const adopted = inputs.adoptionDone && !earlier ? undefined : await findAdoptable(client, hubId, inputs, ctx.session.claimedIds());
  if (!adopted) {
    return createExactlyOnce(
      ctx,
      client,
      hubId,
      {
        name: inputs.name,
        vendor: inputs.vendor,
        // Always sent, derived as the platform would when not declared, so that
        // the request is valid under every reading of the spec and the hub's
        // copy can be matched exactly if the answer is lost.
        identifier: inputs.identifier ?? deriveIdentifier(inputs.name),
        auth: toApiAuth(inputs.auth),
        extra: inputs.extra,
      },
      earlier,
    );
  }
  ctx.session.claim(adopted.id);
  ctx.log?.(`adopting integration ${adopted.id} (${adopted.vendor} "${adopted.name}")`);
  const body = patchBody(
    { name: adopted.name, identifier: adopted.identifier, extra: adopted.extra ?? undefined },
    inputs,
    // Credentials cannot be read back, so declared ones are always sent.
    inputs.auth !== undefined,
  );
  return Object.keys(body).length === 0 ? adopted : client.updateIntegration(adopted.id, body, { hubId });
}

/** The integration to adopt, if the inputs ask for one; an error if it cannot be. */
export async function findAdoptable(
  client: CycleClient,
  hubId: string,
  inputs: IntegrationInputs,
  claimed: ReadonlySet<string>,
): Promise<Integration | undefined> {
  if (inputs.adoptId) {
    let found: Integration;
    try {
      found = await client.getIntegration(inputs.adoptId, { hubId });
    } catch (err) {
      if (isIntegrationNotFound(err)) throw new Error(`adoptId: integration ${inputs.adoptId} does not exist in hub ${hubId}`);
      throw err;
    }
    if (isDeletingOrDeleted(found)) throw new Error(`adoptId: integration ${inputs.adoptId} is ${found.state.current}`);
    if (found.vendor !== inputs.vendor) {
      throw new Error(`adoptId: integration ${inputs.adoptId} is of vendor \`${found.vendor}\`, not \`${inputs.vendor}\``);
    }
    if (claimed.has(found.id)) throw new Error(`adoptId: integration ${inputs.adoptId} is already managed by another resource of this stack`);
    return found;
  }
  if (inputs.adoptByIdentifier && inputs.identifier) {
    // Filtered here, on every page: the contract does not say what `filter[search]` matches.
    const candidates = (await client.listIntegrations({}, { hubId })).filter(
      (i) => i.identifier === inputs.identifier && i.vendor === inputs.vendor && !isDeletingOrDeleted(i) && !claimed.has(i.id),
    );
    if (candidates.length > 1) {
      throw new CycleAmbiguityError(
        `adoptByIdentifier: ${candidates.length} integrations of vendor \`${inputs.vendor}\` have identifier \`${inputs.identifier}\` (${candidates
          .map((c) => c.id)
          .join(", ")}); use adoptId to choose one`,
        candidates.map((c) => c.id),
      );
    }
    return candidates[0];
  }
  return undefined;
}
