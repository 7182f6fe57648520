/**
 * What every provider call works with: the stack config the engine sent, a
 * client for it, and where progress goes. Runs in the provider process only.
 */
import { CycleClient } from "../api/client";
import { Connection, ProviderSettings, resolveConnection } from "../config";

type Env = Record<string, string | undefined>;

/** What every call gets: the stack config the engine sent, and where to log. */
export interface EngineContext {
  settings: ProviderSettings;
  env?: Env;
  /** Progress lines for a person; never given credentials. */
  log?: (line: string) => void;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
}

/** Property bags as the dynamic-provider server passes them. */
export type Props = Record<string, unknown>;

/** The property that holds the serialized provider. */
export const PROVIDER_KEY = "__provider";

const clients = new Map<string, CycleClient>();

/** The connection for this call (config, then environment) and a client for it. */
export function connect(ctx: EngineContext): { connection: Connection; client: CycleClient } {
  const env = ctx.env ?? process.env;
  const connection = resolveConnection(ctx.settings, env);
  // One client per URL and key in this process; the key is part of the map
  // key only in memory.
  const key = `${connection.apiUrl}\u0000${connection.apiKey}`;
  let client = clients.get(key);
  if (!client) {
    // CYCLE_DEBUG=1 logs every request (method, path, status, time; never headers or bodies).
    const log = env.CYCLE_DEBUG ? ctx.log : undefined;
    client = new CycleClient({ apiKey: connection.apiKey, baseUrl: connection.apiUrl, sleep: ctx.sleep, log });
    clients.set(key, client);
  }
  return { connection, client };
}
