/**
 * What every provider call works with: the stack config the engine sent, a
 * client for it, where progress goes, and what this process knows belongs
 * to the stack. Runs in the provider process only.
 */
import { CycleClient } from "../api/client";
import { Redactor } from "../api/redact";
import { Connection, ProviderSettings, resolveConnection, ResourceConnection } from "../config";
import { AuthInputs } from "./model";
import type { UnsettledCreates } from "./unsettled";

export type { Props } from "./props";
export { PROVIDER_KEY } from "./props";

type Env = Record<string, string | undefined>;

/** What every call gets: the stack config the engine sent, and where to log. */
export interface EngineContext {
  settings: ProviderSettings;
  env?: Env;
  /** Progress lines for a person; never given credentials. */
  log?: (line: string) => void;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Creates an earlier run could not settle, handed from the diff that sees
   * them to the create that replaces them. Lives as long as the provider
   * process (see unsettled.ts); without it, such a create fails instead.
   */
  unsettledCreates?: UnsettledCreates;
}

const clients = new Map<string, CycleClient>();

/** The connection for this call (the resource's own, then stack config, then environment) and a client for it. */
export function connect(ctx: EngineContext, resource: ResourceConnection = {}): { connection: Connection; client: CycleClient } {
  const env = ctx.env ?? process.env;
  const connection = resolveConnection(ctx.settings, env, { apiKey: resource.apiKey, apiUrl: resource.apiUrl });
  // One client per URL and key in this process; the key is part of the map
  // key only in memory.
  const key = `${connection.apiUrl}\u0000${connection.apiKey}`;
  let client = clients.get(key);
  if (!client) {
    // CYCLE_DEBUG=1 logs every request (method, path, status, time; never headers or bodies).
    const log = env.CYCLE_DEBUG ? ctx.log : undefined;
    const url = connection.apiUrl;
    client = new CycleClient({
      apiKey: connection.apiKey,
      baseUrl: url,
      sleep: ctx.sleep,
      log,
      // A person waiting on `pulumi up` hears of every retry, not minutes of silence.
      onRetry: (r) =>
        ctx.log?.(`${r.method} ${url}${r.path} failed (${r.reason}); trying again in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt} of ${r.maxAttempts})`),
    });
    clients.set(key, client);
  }
  return { connection, client };
}

/**
 * Integrations this provider process knows belong to a resource of the
 * stack: every one it created, adopted, read, diffed, updated or deleted. A
 * create whose answer was lost is never reconciled to one of these, so two
 * look-alike resources cannot end up bound to the same integration.
 */
const claimed = new Set<string>();

export function claim(id: string): void {
  claimed.add(id);
}

export function claimedIds(): ReadonlySet<string> {
  return claimed;
}

/**
 * Hides every credential the call knows (the API key and each `auth` value
 * of the resource, old and new) from text that leaves the provider: job and
 * state errors written to outputs, and error messages.
 */
export function redactorFor(ctx: EngineContext, ...resources: Array<{ auth?: AuthInputs; apiKey?: string } | undefined>): Redactor {
  const env = ctx.env ?? process.env;
  const values: Array<string | undefined> = [ctx.settings.apiKey, env.CYCLE_API_KEY];
  for (const r of resources) {
    if (typeof r?.apiKey === "string") values.push(r.apiKey);
    const auth = r?.auth;
    if (auth && typeof auth === "object") values.push(...Object.values(auth).filter((v): v is string => typeof v === "string"));
  }
  return new Redactor(values);
}
