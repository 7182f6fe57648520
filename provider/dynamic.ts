/**
 * The one entry serialized providers load: every Integration's `__provider`
 * in state does `require("pulumi-cycle/dynamic").methodsFor(req)` in its
 * `configure` (see `resource/provider.ts`). Its only job is to give the
 * provider its methods for a configure request, so this path never moves:
 * the code behind it may, without another shim.
 *
 * Runs in the provider process only. One configure, one session: the
 * dynamic-provider server configures each serialized provider once per
 * process, and every resource of new state carries the same one.
 */
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderSettings } from "./config";
import { check, create, diff, read, remove, update } from "./resource/operations";
import { existsInDynamicState, withProviderKey } from "./resource/dynamicState";
import { installQuietConsole, reported } from "./resource/reporting";
import { ProviderSession } from "./resource/session";
import { EngineContext, progressToStderr } from "./resource/context";

type Props = Record<string, unknown>;

/** The provider's methods, for the stack config the engine sent. */
export function methodsFor(req: pulumi.dynamic.ConfigureRequest) {
  const settings: ProviderSettings = {
    apiKey: req.config.get("cycle:apiKey"),
    hubId: req.config.get("cycle:hubId"),
    apiUrl: req.config.get("cycle:apiUrl"),
  };
  const ctx: EngineContext = { settings, log: progressToStderr, session: new ProviderSession() };
  // An error reaches the user once (see reporting.ts); CYCLE_DEBUG=1 keeps the server's print of it, stack and all.
  const debug = Boolean(process.env.CYCLE_DEBUG);
  if (!debug) installQuietConsole();
  return {
    check: (olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> => reported(debug, () => check(ctx, olds, news, existsInDynamicState(olds))),
    diff: (id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> => reported(debug, () => diff(ctx, id, olds, news)),
    create: (inputs: Props): Promise<pulumi.dynamic.CreateResult> => reported(debug, () => withProviderKey(inputs, () => create(ctx, inputs))),
    read: (id: string, props: Props): Promise<pulumi.dynamic.ReadResult> => reported(debug, () => read(ctx, id, props)),
    update: (id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> =>
      reported(debug, () => withProviderKey(news, () => update(ctx, id, olds, news))),
    delete: (id: string, props: Props): Promise<void> => reported(debug, () => remove(ctx, id, props)),
  };
}
