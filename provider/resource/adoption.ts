/**
 * Adoption: taking over an integration that already exists in the hub
 * instead of creating one (`adoptId`, `adoptByIdentifier`), since the
 * engine's import does not work for dynamic resources.
 */
import { CycleApiError } from "../api/errors";
import type { CycleClient } from "../api/client";
import type { Integration } from "../api/types";
import type { EngineContext } from "./context";
import { IntegrationInputs, toApiAuth } from "./model";
import { isGone } from "./outputs";
import { patchBody } from "./patch";

/** The adopted integration brought to the declared state, or a new one. */
export async function adoptOrCreate(ctx: EngineContext, client: CycleClient, hubId: string, inputs: IntegrationInputs): Promise<Integration> {
  const adopted = await findAdoptable(client, hubId, inputs);
  if (!adopted) {
    return client.createIntegration(
      { name: inputs.name, vendor: inputs.vendor, identifier: inputs.identifier, auth: toApiAuth(inputs.auth), extra: inputs.extra },
      { hubId },
    );
  }
  ctx.log?.(`adopting integration ${adopted.id} (${adopted.vendor} "${adopted.name}")`);
  const body = patchBody(
    { name: adopted.name, identifier: adopted.identifier, extra: adopted.extra ?? undefined },
    inputs,
    // Credentials cannot be read back reliably, so declared ones are always sent.
    inputs.auth !== undefined,
  );
  return Object.keys(body).length === 0 ? adopted : client.updateIntegration(adopted.id, body, { hubId });
}

/** The integration to adopt, if the inputs ask for one; an error if it cannot be. */
export async function findAdoptable(client: CycleClient, hubId: string, inputs: IntegrationInputs): Promise<Integration | undefined> {
  if (inputs.adoptId) {
    let found: Integration;
    try {
      found = await client.getIntegration(inputs.adoptId, { hubId });
    } catch (err) {
      if (err instanceof CycleApiError && err.isNotFound) {
        throw new Error(`adoptId: integration ${inputs.adoptId} does not exist in hub ${hubId}`);
      }
      throw err;
    }
    if (isGone(found)) throw new Error(`adoptId: integration ${inputs.adoptId} is ${found.state.current}`);
    if (found.vendor !== inputs.vendor) {
      throw new Error(`adoptId: integration ${inputs.adoptId} is of vendor \`${found.vendor}\`, not \`${inputs.vendor}\``);
    }
    return found;
  }
  if (inputs.adoptByIdentifier && inputs.identifier) {
    const candidates = (await client.listIntegrations({ filter: { search: inputs.identifier } }, { hubId })).filter(
      (i) => i.identifier === inputs.identifier && i.vendor === inputs.vendor && !isGone(i),
    );
    if (candidates.length > 1) {
      throw new Error(
        `adoptByIdentifier: ${candidates.length} integrations of vendor \`${inputs.vendor}\` have identifier \`${inputs.identifier}\` (${candidates
          .map((c) => c.id)
          .join(", ")}); use adoptId to choose one`,
      );
    }
    return candidates[0];
  }
  return undefined;
}
