import type * as pulumi from "@pulumi/pulumi";
import type * as Operations from "./operations";
import type * as Unsettled from "./unsettled";
import type { ProviderSettings } from "../config";

/**
 * The Integration resource's dynamic provider, as Pulumi serializes it into
 * the state of every Integration (twice: the dynamic-provider server writes
 * `__provider` into the inputs on check and into the outputs on create,
 * read and update, and takes it from the inputs for check, diff, create and
 * update, from the outputs for read and delete).
 *
 * So it is as small as it can be: one method, `configure`, capturing
 * nothing. The server calls it first, once per provider process, before any
 * other method; it loads this module from the installed package and puts the
 * real methods (`methodsFor`) on the provider, with the stack config. No
 * client, module or credential is written to state, and a newer installed
 * version of the package takes effect without a replace.
 *
 * State written by earlier versions holds their own serialized provider,
 * which loads `operations` (or `engine`) by package name: both stay.
 */
export const integrationProvider = {
  configure(req: pulumi.dynamic.ConfigureRequest): void {
    Object.assign(this, require("pulumi-cycle/bin/provider/resource/provider").methodsFor(req));
  },
} as unknown as pulumi.dynamic.ResourceProvider;

/** Progress lines go to stderr, which the engine shows with the update; CYCLE_QUIET=1 turns them off. */
function log(line: string): void {
  if (!process.env.CYCLE_QUIET) process.stderr.write(`cycle: ${line}\n`);
}

type Props = Record<string, unknown>;

/** The provider's methods, for the stack config the engine sent. Runs in the provider process only. */
export function methodsFor(req: pulumi.dynamic.ConfigureRequest) {
  const settings: ProviderSettings = {
    apiKey: req.config.get("cycle:apiKey"),
    hubId: req.config.get("cycle:hubId"),
    apiUrl: req.config.get("cycle:apiUrl"),
  };
  const ops = () => require("./operations") as typeof Operations;
  // Lives as long as this provider process, like the methods (see unsettled.ts).
  const unsettledCreates = new (require("./unsettled") as typeof Unsettled).UnsettledCreates();
  const ctx = () => ({ settings, log, unsettledCreates });
  return {
    check: async (olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> => ops().check(ctx(), olds, news),
    diff: async (id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> => ops().diff(ctx(), id, olds, news),
    create: async (inputs: Props): Promise<pulumi.dynamic.CreateResult> => ops().create(ctx(), inputs),
    read: async (id: string, props: Props): Promise<pulumi.dynamic.ReadResult> => ops().read(ctx(), id, props),
    update: async (id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> => ops().update(ctx(), id, olds, news),
    delete: async (id: string, props: Props): Promise<void> => ops().remove(ctx(), id, props),
  };
}
