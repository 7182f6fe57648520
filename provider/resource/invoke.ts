/**
 * The package's functions as a face calls them (the native plugin's Invoke):
 * a token and plain arguments in; the result, camelCase as the package
 * schema declares it, or failures naming the bad arguments, out. Arguments
 * are parsed with the functions' one description (`functionSchema.ts`); the
 * lookups themselves are `../lookups.ts`. Lookups are reads: they run in
 * preview too.
 */
import type { Integration } from "../api/types";
import { requireHub } from "../config";
import { CycleError, redacting } from "../errors";
import { availableIntegrations, AvailableIntegration, listIntegrations, lookupIntegration } from "../lookups";
import { connect, EngineContext, redactorFor } from "./context";
import {
  ArgFailure,
  DefinitionResult,
  GET_AVAILABLE_INTEGRATIONS,
  GET_AVAILABLE_INTEGRATIONS_ARGS,
  GET_INTEGRATION,
  GET_INTEGRATIONS,
  GET_INTEGRATIONS_ARGS,
  IntegrationResult,
  parseArgs,
  parseIntegrationArgs,
} from "./functionSchema";
import { AUTH_NAMES } from "./model";

export interface InvokeResult {
  result?: Record<string, unknown>;
  failures: ArgFailure[];
}

/**
 * Runs the function `token` names. Bad arguments come back as failures, before
 * any request; an unknown token, a missing connection setting, no match or
 * several matches are thrown (as a {@link CycleError}, credentials hidden).
 */
export async function invoke(ctx: EngineContext, token: string, args: Record<string, unknown>): Promise<InvokeResult> {
  switch (token) {
    case GET_INTEGRATION: {
      const parsed = parseIntegrationArgs(args);
      if (!parsed.ok) return { failures: parsed.failures };
      const { hubId, ref } = parsed.value;
      return run(ctx, hubId, async (client, hub) => toIntegrationResult(await lookupIntegration(client, hub, ref)));
    }
    case GET_INTEGRATIONS: {
      const parsed = parseArgs(GET_INTEGRATIONS, GET_INTEGRATIONS_ARGS, args);
      if (!parsed.ok) return { failures: parsed.failures };
      const { hubId, ...query } = parsed.value;
      return run(ctx, hubId, async (client, hub) => ({ integrations: (await listIntegrations(client, hub, query)).map(toIntegrationResult) }));
    }
    case GET_AVAILABLE_INTEGRATIONS: {
      const parsed = parseArgs(GET_AVAILABLE_INTEGRATIONS, GET_AVAILABLE_INTEGRATIONS_ARGS, args);
      if (!parsed.ok) return { failures: parsed.failures };
      return run(ctx, parsed.value.hubId, async (client, hub) => ({ definitions: (await availableIntegrations(client, hub)).map(toDefinitionResult) }));
    }
    default:
      throw new CycleError(
        `Unknown function \`${token}\`: the cycle package has ${[GET_INTEGRATION, GET_INTEGRATIONS, GET_AVAILABLE_INTEGRATIONS].map((t) => `\`${t}\``).join(", ")}`,
      );
  }
}

/** The lookup over the session's client for the provider's connection, in the hub asked for or the configured one. */
async function run(
  ctx: EngineContext,
  hubId: string | undefined,
  work: (client: ReturnType<typeof connect>["client"], hubId: string) => Promise<Record<string, unknown>>,
): Promise<InvokeResult> {
  return redacting(redactorFor(ctx), async () => {
    const { connection, client } = connect(ctx);
    return { result: await work(client, hubId ?? requireHub(connection)), failures: [] };
  });
}

/** An integration as the functions return it (see `INTEGRATION_FIELDS`); no credentials. */
export function toIntegrationResult(i: Integration): IntegrationResult {
  return definedOnly({
    id: i.id,
    vendor: i.vendor,
    name: i.name,
    identifier: i.identifier,
    hubId: i.hub_id,
    extra: i.extra ?? undefined,
    state: i.state.current,
    stateError: i.state.error?.message,
    creatorType: i.creator?.type,
    createdAt: i.events.created,
    updatedAt: i.events.updated,
  });
}

/** A definition as `getAvailableIntegrations` returns it; credential fields by the resource's `auth` names. */
export function toDefinitionResult(d: AvailableIntegration): DefinitionResult {
  const fields = (map: AvailableIntegration["fields"]["auth"], rename: (key: string) => string) =>
    map == null
      ? undefined
      : Object.fromEntries(
          Object.entries(map).flatMap(([key, f]) =>
            f == null
              ? []
              : [
                  [
                    rename(key),
                    definedOnly({
                      name: f.name,
                      required: f.required,
                      description: f.description,
                      type: f.type,
                      regex: f.regex ?? undefined,
                      options: f.options ?? undefined,
                    }),
                  ],
                ],
          ),
        );
  return definedOnly({
    vendor: d.vendor,
    name: d.name,
    category: d.category,
    supportsVerification: d.supports_verification,
    supportsMultiple: d.supports_multiple,
    editable: d.editable,
    usable: d.usable,
    deprecated: d.deprecated,
    features: d.features ?? undefined,
    // A credential field this version does not know keeps the API's name.
    authFields: fields(d.fields.auth, (key) => (AUTH_NAMES as Record<string, string>)[key] ?? key),
    extraFields: fields(d.fields.extra, (key) => key),
  });
}

/** The object without its undefined keys: a result has only the fields the API gave. */
function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
