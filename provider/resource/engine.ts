/**
 * Kept for state written by pulumi-cycle 0.1.0 (the release of commit
 * 24b58f0): its serialized provider does
 * `require("pulumi-cycle/bin/provider/resource/engine")` on every call and
 * calls it with 0.1.0's signatures, `{ settings, log }` as the context.
 * Refresh and destroy of such a stack must keep working
 * (tests/e2e/state.test.ts runs them on a state 0.1.0 wrote). New state
 * loads `pulumi-cycle/dynamic`. Only `diff` has changed its signature since.
 */
import * as operations from "./operations";
import type { EngineContext } from "./context";
import { existsInDynamicState, withProviderKey } from "./dynamicState";
import type { Props } from "./props";
import { installQuietConsole, reported } from "./reporting";
import { ProviderSession } from "./session";

/** The context 0.1.0's provider passes: everything but the session. */
type ReleasedContext = Omit<EngineContext, "session">;

const SESSION = Symbol.for("pulumi-cycle.session");

/**
 * 0.1.0's provider passes the same `settings` object (its own, set by its
 * `configure`) to every call, so that object lives exactly as long as the
 * provider: its session is kept on it, unseen by anything else. Its first
 * call does what the dynamic face's configure does (see `dynamic.ts`).
 */
function withSession(ctx: ReleasedContext): EngineContext {
  const holder = ctx.settings as { [SESSION]?: ProviderSession };
  let session = holder[SESSION];
  if (!session) {
    session = new ProviderSession();
    Object.defineProperty(holder, SESSION, { value: session, enumerable: false });
    if (!debug()) installQuietConsole();
  }
  return { ...ctx, session };
}

function debug(): boolean {
  return Boolean(process.env.CYCLE_DEBUG);
}

export function check(ctx: ReleasedContext, olds: Props, news: Props): ReturnType<typeof operations.check> {
  return reported(debug(), () => operations.check(withSession(ctx), olds, news, existsInDynamicState(olds)));
}

/** 0.1.0's `diff(ctx, olds, news)`: the resource ID was not passed then. */
export function diff(ctx: ReleasedContext, olds: Props, news: Props): Promise<ReturnType<typeof operations.diff>> {
  return reported(debug(), () => operations.diff(withSession(ctx), "", olds, news));
}

export function create(ctx: ReleasedContext, props: Props): ReturnType<typeof operations.create> {
  return reported(debug(), () => withProviderKey(props, () => operations.create(withSession(ctx), props)));
}

export function read(ctx: ReleasedContext, id: string, props: Props): ReturnType<typeof operations.read> {
  return reported(debug(), () => operations.read(withSession(ctx), id, props));
}

export function update(ctx: ReleasedContext, id: string, olds: Props, news: Props): ReturnType<typeof operations.update> {
  return reported(debug(), () => withProviderKey(news, () => operations.update(withSession(ctx), id, olds, news)));
}

export function remove(ctx: ReleasedContext, id: string, props: Props): ReturnType<typeof operations.remove> {
  return reported(debug(), () => operations.remove(withSession(ctx), id, props));
}
