import type * as pulumi from "@pulumi/pulumi";
import type * as Dynamic from "../dynamic";

/**
 * The Integration resource's dynamic provider, as Pulumi serializes it into
 * the state of every Integration (twice: the dynamic-provider server writes
 * `__provider` into the inputs on check and into the outputs on create,
 * read and update, and takes it from the inputs for check, diff, create and
 * update, from the outputs for read and delete).
 *
 * So it is as small as it can be: one method, `configure`, capturing
 * nothing. The server calls it first, once per provider process, before any
 * other method; it loads the package's one stable entry,
 * `pulumi-cycle/dynamic`, and puts the real methods on the provider, with
 * the stack config. No client, module or credential is written to state,
 * and a newer installed version of the package takes effect without a
 * replace.
 */
export const integrationProvider = {
  configure(req: pulumi.dynamic.ConfigureRequest): void {
    const entry = require("pulumi-cycle/dynamic") as typeof import("../dynamic");
    Object.assign(this, entry.methodsFor(req));
  },
} as unknown as pulumi.dynamic.ResourceProvider;

/**
 * Kept for state written by the development versions after 0.1.0 (up to
 * commit 600a403; never released): their serialized provider does
 * `require("pulumi-cycle/bin/provider/resource/provider").methodsFor(req)`.
 * tests/e2e/state.test.ts refreshes and destroys such a state. Loaded only
 * when called: a program that declares resources never loads the operations.
 */
export function methodsFor(req: pulumi.dynamic.ConfigureRequest): ReturnType<typeof Dynamic.methodsFor> {
  return (require("../dynamic") as typeof Dynamic).methodsFor(req);
}
