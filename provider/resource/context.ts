/**
 * What every provider call works with: the stack config the engine sent, a
 * client for it, where progress goes, and the session that remembers
 * between calls. Runs in the provider process only.
 */
import { CycleClient } from "../api/client";
import { Redactor } from "../api/redact";
import { Connection, ProviderSettings, resolveConnection, ResourceConnection } from "../config";
import { CycleCancelledError } from "../errors";
import { AuthInputs } from "./model";
import type { ProviderSession } from "./session";

type Env = Record<string, string | undefined>;

/** What every call gets: the stack config the engine sent, where to log, and the provider's session. */
export interface EngineContext {
  settings: ProviderSettings;
  /** What the provider remembers between calls (clients, claims, listings, catalogues, jobs). */
  session: ProviderSession;
  env?: Env;
  /** Progress lines for a person; never given credentials. */
  log?: (line: string) => void;
  /** Test hooks. */
  sleep?: (ms: number) => Promise<void>;
}

/** Where both faces send progress lines: stderr, which the engine shows with the update; CYCLE_QUIET=1 turns them off. */
export function progressToStderr(line: string): void {
  if (!process.env.CYCLE_QUIET) process.stderr.write(`cycle: ${line}\n`);
}

/** The connection for this call (the resource's own, then stack config, then environment) and the session's client for it. */
export function connect(ctx: EngineContext, resource: ResourceConnection = {}): { connection: Connection; client: CycleClient } {
  const env = ctx.env ?? process.env;
  const connection = resolveConnection(ctx.settings, env, { apiKey: resource.apiKey, apiUrl: resource.apiUrl });
  const client = ctx.session.clientFor(connection, () => {
    // CYCLE_DEBUG=1 logs every request (method, path, status, time; never headers or bodies).
    const log = env.CYCLE_DEBUG ? ctx.log : undefined;
    const url = connection.apiUrl;
    return new CycleClient({
      apiKey: connection.apiKey,
      baseUrl: url,
      // Retry pauses stop when the engine cancels, like every other wait.
      sleep: sleeperOf(ctx),
      log,
      // A person waiting on `pulumi up` hears of every retry, not minutes of silence.
      onRetry: (r) =>
        ctx.log?.(
          `${r.method} ${url}${r.path} failed (${r.reason}); trying again in ${(r.delayMs / 1000).toFixed(1)} s (attempt ${r.attempt} of ${r.maxAttempts})`,
        ),
    });
  });
  return { connection, client };
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

/**
 * The pause every wait of a call takes (job and poll loops, retries): the
 * test hook's or a timer, ended early with a {@link CycleCancelledError}
 * when the session is cancelled, so an interrupted operation stops waiting
 * and records what exists.
 */
export function sleeperOf(ctx: EngineContext): (ms: number) => Promise<void> {
  const signal = ctx.session.signal;
  const base = ctx.sleep;
  return (ms) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return reject(cancelled());
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => {
        if (timer) clearTimeout(timer);
        reject(cancelled());
      };
      const done = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      signal.addEventListener("abort", onAbort, { once: true });
      if (base) {
        base(ms).then(done, (err: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(err instanceof Error ? err : new Error(String(err)));
        });
      } else timer = setTimeout(done, ms);
    });
}

function cancelled(): CycleCancelledError {
  return new CycleCancelledError("cancelled while waiting");
}
