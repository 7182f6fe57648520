/**
 * Kept so that providers serialized into state by pulumi-cycle 0.1.0, which
 * `require("pulumi-cycle/bin/provider/resource/engine")` and call it with
 * 0.1.0's signatures, still work: delete and refresh of an old stack must
 * (tests/e2e/state.test.ts runs them on a state 0.1.0 wrote). New code loads
 * `operations`. Only `diff` has changed its signature since.
 */
import * as operations from "./operations";
import type { EngineContext } from "./context";
import type { Props } from "./props";

export { check, create, read, update, remove } from "./operations";

/** 0.1.0's `diff(ctx, olds, news)`: the resource ID was not passed then. */
export function diff(ctx: EngineContext, olds: Props, news: Props): ReturnType<typeof operations.diff> {
  return operations.diff(ctx, "", olds, news);
}
