import type * as pulumi from "@pulumi/pulumi";
import type * as Operations from "./operations";
import type { ProviderSettings } from "../config";

/**
 * The module that does the work, loaded by package name inside each method.
 * Pulumi serializes this provider object, and everything it captures, into
 * the state of every Integration; by requiring at call time we keep the
 * client, axios and the rest of this package out of state, and a newer
 * installed version of the package takes effect without a replace.
 */
const OPERATIONS_MODULE = "pulumi-cycle/bin/provider/resource/operations";

function loadOperations(): typeof Operations {
  return require(OPERATIONS_MODULE) as typeof Operations;
}

/** Progress lines go to stderr, which the engine shows with the update; CYCLE_QUIET=1 turns them off. */
function log(line: string): void {
  if (!process.env.CYCLE_QUIET) process.stderr.write(`cycle: ${line}\n`);
}

/**
 * The Integration resource's dynamic provider. It holds nothing when it is
 * serialized; `configure` fills in the stack config inside the provider
 * process.
 */
export class IntegrationProvider implements pulumi.dynamic.ResourceProvider {
  private settings: ProviderSettings = {};

  async configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    this.settings = {
      apiKey: req.config.get("cycle:apiKey"),
      hubId: req.config.get("cycle:hubId"),
      apiUrl: req.config.get("cycle:apiUrl"),
    };
  }

  async check(olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.CheckResult> {
    return loadOperations().check({ settings: this.settings, log }, olds, news);
  }

  async diff(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.DiffResult> {
    return loadOperations().diff({ settings: this.settings, log }, id, olds, news);
  }

  async create(inputs: Record<string, unknown>): Promise<pulumi.dynamic.CreateResult> {
    return loadOperations().create({ settings: this.settings, log }, inputs);
  }

  async read(id: string, props: Record<string, unknown>): Promise<pulumi.dynamic.ReadResult> {
    return loadOperations().read({ settings: this.settings, log }, id, props);
  }

  async update(id: string, olds: Record<string, unknown>, news: Record<string, unknown>): Promise<pulumi.dynamic.UpdateResult> {
    return loadOperations().update({ settings: this.settings, log }, id, olds, news);
  }

  async delete(id: string, props: Record<string, unknown>): Promise<void> {
    return loadOperations().remove({ settings: this.settings, log }, id, props);
  }
}

/** The one provider instance every Integration shares (and so serializes once). */
export const integrationProvider = new IntegrationProvider();
