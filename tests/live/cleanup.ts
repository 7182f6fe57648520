/**
 * Removing what the live check created, whatever happened before:
 * `pulumi destroy`, then a look at every integration this run knows it
 * created (the stack's outputs and state). One still in the hub after a
 * failed destroy is deleted by ID, but only when the hub still has it under
 * one of this run's names: an ID is never enough on its own to touch an
 * integration that may not be ours. One still there after a destroy that
 * reported success is a failure of the provider, and is deleted the same way.
 */
import type { CycleClient } from "../../provider/api/client";
import { CycleApiError, isIntegrationNotFound } from "../../provider/api/errors";
import type { Redactor } from "../../provider/api/redact";
import type { Integration } from "../../provider/api/types";
import type { LiveReport, Step } from "./report";
import { tail, Timed } from "./stack";

/** What clean-up needs of the stack. */
export interface DestroyableStack {
  destroy(): Promise<Timed>;
  integrationIdsInState(): Promise<string[]>;
}

export interface CleanUpContext {
  client: CycleClient;
  /** IDs this run recorded (outputs); the state's are added. */
  createdIds: ReadonlySet<string>;
  /** The names this run gave its integration. */
  names: readonly string[];
  redactor: Redactor;
  /** How long to wait for a fallback DELETE to take effect; default 5 minutes. */
  deleteWaitMs?: number;
  say?: (line: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface CleanUpResult {
  step: Step;
  cleanup: LiveReport["cleanup"];
  destroyOutput: string;
  /** Every integration this run knew it created (outputs and state). */
  ids: string[];
  /** Why the run fails because of clean-up, when it does. */
  failure?: string;
}

export async function cleanUp(stack: DestroyableStack, ctx: CleanUpContext): Promise<CleanUpResult> {
  const sleep = ctx.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const t = await stack.destroy();
  const destroyed = t.result.code === 0;
  const cleanup: LiveReport["cleanup"] = { destroyed, deletedById: [], leftBehind: [] };
  const step: Step = { name: "pulumi destroy", ok: destroyed, ms: t.ms, note: destroyed ? undefined : ctx.redactor.redact(tail(t.output)) };
  let failure = destroyed ? undefined : "pulumi destroy failed";

  const ids = new Set(ctx.createdIds);
  try {
    for (const id of await stack.integrationIdsInState()) ids.add(id);
  } catch (err) {
    cleanup.note = ctx.redactor.redact(`could not read the stack's state: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const id of ids) {
    const found = await stillThere(ctx.client, id);
    if (found === undefined) continue;
    if (found instanceof CycleApiError) {
      cleanup.leftBehind.push(`${id} (could not be read: ${found.message})`);
      continue;
    }
    if (destroyed) failure = failure ?? `pulumi destroy succeeded, but the hub still has ${id} (${found.state.current})`;
    if (!ctx.names.includes(found.name)) {
      cleanup.leftBehind.push(`${id} (named ${JSON.stringify(found.name)}, not one of this run's names: not touched)`);
      continue;
    }
    ctx.say?.(`deleting ${id} by ID ...`);
    try {
      await ctx.client.deleteIntegration(id);
      const deadline = Date.now() + (ctx.deleteWaitMs ?? 300_000);
      let gone = false;
      while (!(gone = (await stillThere(ctx.client, id)) === undefined) && Date.now() < deadline) await sleep(1000);
      if (gone) cleanup.deletedById.push(id);
      else cleanup.leftBehind.push(`${id} (DELETE sent; still there after ${Math.round((ctx.deleteWaitMs ?? 300_000) / 1000)} s)`);
    } catch (err) {
      cleanup.leftBehind.push(`${id} (${ctx.redactor.redact(err instanceof Error ? err.message : String(err))})`);
    }
  }
  if (cleanup.leftBehind.length > 0) failure = failure ?? "something this run created is still in the hub";
  return { step, cleanup, destroyOutput: t.output, ids: [...ids], failure };
}

/** The integration when the hub still has it (not deleting or deleted); undefined when it is gone or going; the error when it cannot be read. */
async function stillThere(client: CycleClient, id: string): Promise<Integration | CycleApiError | undefined> {
  try {
    const i = await client.getIntegration(id);
    return i.state.current === "deleting" || i.state.current === "deleted" ? undefined : i;
  } catch (err) {
    if (isIntegrationNotFound(err)) return undefined;
    if (err instanceof CycleApiError) return err;
    throw err;
  }
}
