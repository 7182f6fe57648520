/**
 * What `pulumi-cycle recover` says, as lines of text: the plan, and what
 * applying it did. Pure: the command prints them.
 */
import type { RecoveryPlan } from "./recoverPlan";

/** Nothing to recover: the lines that say so. */
export function describeNothingPending(stack: string, otherPending: number): string[] {
  const lines = [`Stack ${stack} has no pending creates of Integrations: nothing to recover.`];
  if (otherPending > 0) lines.push(`(It has ${otherPending} other pending operation(s), which this command leaves to Pulumi.)`);
  return lines;
}

/** The plan: when the update started, what was found, what was not and what to do about it. */
export function describePlan(stack: string, plan: RecoveryPlan): string[] {
  const lines: string[] = [];
  const out = (line: string) => lines.push(line);
  out(`Stack ${stack}: ${plan.pending.length} pending create(s) of Integrations from an interrupted update.`);
  out(`The update started no earlier than ${new Date(plan.bound.localMs).toISOString()} (${plan.bound.source}).`);
  if (!plan.serverClockKnown) out("Warning: the API's answers carry no Date header; its clock is assumed to agree with this machine's.");
  if (plan.bound.loose) {
    out(
      "Warning: this is a loose bound; an integration made by someone else between then and the interrupted update, with exactly the same vendor, name, identifier and extra, would look like one of ours. If you know when the update started, pass --since <RFC 3339 time>.",
    );
  }
  out("");
  if (plan.matches.length > 0) {
    out(`Found (${plan.matches.length}):`);
    for (const m of plan.matches) {
      const i = m.integration;
      out(`  ${m.urn}`);
      out(
        `    -> integration ${i.id} (${i.vendor} "${i.name}", ${i.state.current}, created ${i.events.created})${m.paired ? " [paired in creation order with identical declarations]" : ""}`,
      );
    }
  }
  if (plan.unmatched.length > 0) {
    if (plan.matches.length > 0) out("");
    out(`Not matched (${plan.unmatched.length}):`);
    for (const u of plan.unmatched) {
      out(`  ${u.urn}`);
      out(`    ${u.reason}.`);
      if (u.candidates.length > 0) {
        out(`    Candidates: ${u.candidates.join(", ")}.`);
        out(
          `    To take over the right one instead of creating another, set \`adoptId: "<id>"\` on this resource before \`pulumi up\`; delete the others in the hub if they are leftovers.`,
        );
      } else {
        out("    Its pending create is dropped; the next `pulumi up` creates it.");
      }
    }
  }
  out("");
  if (plan.otherPending > 0) out(`${plan.otherPending} other pending operation(s) (not creates of Integrations) are left as they are, to Pulumi.`);
  return lines;
}

/** Without --yes: how to go on. */
export function describeDryRun(stack: string, plan: RecoveryPlan): string[] {
  return [
    `Nothing was changed. Run again with --yes to write ${plan.matches.length} integration(s) into the state and drop the ${plan.handled.size} pending create(s).`,
    `An update killed on a self-managed backend (file or bucket) leaves its lock: make sure no \`pulumi\` runs on this stack, and remove it with \`pulumi cancel --stack ${stack}\` before --yes.`,
  ];
}

/** Where the state files went, written before the import. */
export function describeFiles(files: { backup: string; recovered: string }): string[] {
  return [`Backup of the state before recovery: ${files.backup}`, `Recovered state:                      ${files.recovered}`];
}

/** After the import: what changed, how to undo it, what to run next. */
export function describeApplied(stack: string, plan: RecoveryPlan, backup: string): string[] {
  return [
    `Imported: ${plan.matches.length} integration(s) recorded, ${plan.handled.size} pending create(s) removed.`,
    `To undo: pulumi stack import --stack ${stack} --file ${backup}`,
    "",
    `Next: run \`pulumi up --stack ${stack}\`. It verifies the recovered integrations that are not verified yet${plan.unmatched.length > 0 ? ", and creates the resources not matched above (see there first)" : ""}.`,
  ];
}
