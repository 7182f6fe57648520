import { sameStringMap } from "./identity";
import type { AuthInputs, IntegrationOutputs } from "./model";
import type { PreviewInputs } from "./parse";
import { INPUT_NAMES, InputName } from "./schema";
import { isUnknown } from "./unknown";
import { wantsVerification as verificationWanted } from "./verification";

export interface DiffContext {
  /** The configured hub, for resources that do not name one. */
  defaultHubId?: string;
  /** From the vendor's definition; undefined when not known. */
  supportsVerification?: boolean;
}

export interface IntegrationDiff {
  changes: boolean;
  replaces: string[];
  /** Properties that change, replaced or not; for messages and tests. */
  changed: string[];
  deleteBeforeReplace: boolean;
  /** True when an update must run a verify job. */
  needsVerification: boolean;
  /** True when `verifyTrigger` changed: verify again even though the credentials did not. */
  reverify: boolean;
}

/** Inputs compared below with their own rules; every other input is one of our settings. */
const COMPARED: ReadonlySet<InputName> = new Set<InputName>(["vendor", "hubId", "name", "identifier", "extra", "auth", "verify", "verifyTrigger"]);

/** Inputs that are our own settings, not the integration's; changing them touches no API. */
const SETTINGS = INPUT_NAMES.filter((name) => !COMPARED.has(name));

/**
 * Compares the last applied state with the newly declared inputs. Always
 * decides: `changes` is true or false, never unknown. Values are compared,
 * never printed, so credentials stay out of every message.
 */
export function diffIntegration(olds: IntegrationOutputs, news: PreviewInputs, ctx: DiffContext = {}): IntegrationDiff {
  const changed: string[] = [];
  const replaces: string[] = [];
  const mark = (prop: string, replace = false) => {
    changed.push(prop);
    if (replace) replaces.push(prop);
  };
  // A vendor whose definition is not editable cannot be patched: every change replaces.
  const replaceAll = olds.editable === false;

  if (isUnknown(news.vendor) || news.vendor !== olds.vendor) mark("vendor", true);

  const newHub = news.hubId ?? ctx.defaultHubId;
  if (isUnknown(newHub) || (newHub !== undefined && newHub !== olds.hubId)) mark("hubId", true);

  if (isUnknown(news.name) || news.name !== olds.name) mark("name", replaceAll);
  // An identifier left out is whatever the API derived: not a change.
  if (news.identifier !== undefined && (isUnknown(news.identifier) || news.identifier !== olds.identifier)) {
    mark("identifier", replaceAll);
  }
  if (news.extra !== undefined && (isUnknown(news.extra) || !sameStringMap(news.extra, olds.extra))) mark("extra", replaceAll);
  // Credentials removed from the program stop being managed: the hub keeps
  // them (nothing is sent), only the record changes.
  const authChanged = news.auth !== undefined && (isUnknown(news.auth) || !sameStringMap(normalizeAuth(news.auth), normalizeAuth(olds.auth)));
  const authRemoved = news.auth === undefined && olds.auth !== undefined;
  if (authChanged) mark("auth", replaceAll);
  else if (authRemoved) mark("auth");

  const supportsVerification = ctx.supportsVerification ?? olds.supportsVerification;
  // `verify` unknown during a preview is a change (below); what it asks for is decided on update.
  const wantsVerification = verificationWanted(isUnknown(news.verify) ? undefined : news.verify, supportsVerification);
  if (news.verify !== olds.verify) mark("verify");
  const triggerChanged = isUnknown(news.verifyTrigger) || news.verifyTrigger !== olds.verifyTrigger;
  if (triggerChanged) mark("verifyTrigger");
  // A trigger set or changed asks for a verification; one removed does not.
  const reverify = triggerChanged && news.verifyTrigger !== undefined && wantsVerification;
  // Not verified yet (a failed or timed-out verification, or verify just
  // turned on): the next update verifies again.
  const pendingVerification = wantsVerification && !olds.verified;
  if (pendingVerification && !changed.includes("verify")) mark("verified");

  for (const key of SETTINGS) {
    if (news[key] !== olds[key]) mark(key);
  }

  const replacing = replaces.length > 0;
  return {
    changes: changed.length > 0,
    replaces,
    changed,
    // A vendor that allows one integration per hub must lose the old one
    // before the new one can be created.
    deleteBeforeReplace: replacing && olds.supportsMultiple === false,
    needsVerification: !replacing && wantsVerification && (authChanged || pendingVerification || reverify),
    reverify: !replacing && reverify,
  };
}

function normalizeAuth(auth: AuthInputs | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(auth ?? {})) {
    if (typeof v === "string") out[k] = v;
  }
  return out;
}
