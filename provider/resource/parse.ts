/**
 * Values from the engine and from state become typed values here, by
 * parsing against the one description of the resource (`schema.ts`), never
 * by a cast. Two uses:
 *
 * - `checkDeclaration`: what a program declared, at `pulumi preview`.
 *   Every problem is a check failure naming its property: unknown or
 *   misspelt keys (with the nearest known one), wrong types, limits,
 *   combinations, and a name whose derived identifier the API would refuse.
 * - `parseInputs`, `parsePreviewInputs`, `parseRecorded`: the checked
 *   inputs and the recorded outputs the engine hands to diff, create,
 *   read, update and delete. A value that does not parse is an error naming
 *   the property, before anything is sent.
 *
 * No message quotes a value: a value could be a credential.
 */
import { z } from "zod";
import { deriveIdentifier } from "./identity";
import { inputsSchema, IntegrationInputs, IntegrationOutputs, IntegrationRecord, outputsSchema, recordSchema } from "./model";
import type { Props } from "./props";
import { AUTH, AUTH_NAMES_LIST, BOOKKEEPING, ENGINE_KEYS, INPUT_NAMES, INPUTS, MIN_IDENTIFIER_LENGTH, OUTPUTS, Property, shapeOf } from "./schema";
import { UNKNOWN, Unknown } from "./unknown";

/** One problem with one property, as Pulumi's check reports it. */
export interface CheckFailure {
  property: string;
  reason: string;
}

/** During a preview, any input may be the unknown sentinel instead of its type. */
type Previewable<S extends Record<string, z.ZodType>> = { [K in keyof S]: z.ZodUnion<[z.ZodLiteral<Unknown>, S[K]]> };

const unknownValue = z.literal(UNKNOWN);

function previewable<S extends Record<string, z.ZodType>>(shape: S): Previewable<S> {
  const out = {} as Previewable<S>;
  for (const key of Object.keys(shape) as Array<keyof S>) out[key] = z.union([unknownValue, shape[key]]);
  return out;
}

/** What a program declares, any of it possibly unknown during a preview. */
const declarationSchema = z.object(previewable(shapeOf(INPUTS)));
/** The checked inputs diff gets: possibly unknown during a preview, with check's bookkeeping. */
const previewInputsSchema = z.object(previewable({ ...shapeOf(INPUTS), adoptionDone: BOOKKEEPING.adoptionDone }));

export type DeclaredInputs = z.output<typeof declarationSchema>;
export type PreviewInputs = z.output<typeof previewInputsSchema>;

/** Each property's description, inputs and outputs (an output's entry wins: `hubId` and `identifier` are resolved there). */
const DESCRIBED: Record<string, Property> = { ...INPUTS, ...OUTPUTS };

// ---------------------------------------------------------------------------
// check
// ---------------------------------------------------------------------------

export interface DeclarationContext {
  /** True when this check is for a resource not created yet: the create will send the identifier. */
  creating: boolean;
}

/**
 * Checks a program's declaration without the API. `value` is set when every
 * property has its type (limits may still fail): the checks against the
 * vendor's definition need typed values.
 */
export function checkDeclaration(raw: Props, ctx: DeclarationContext = { creating: true }): { value?: DeclaredInputs; failures: CheckFailure[] } {
  const failures: CheckFailure[] = [];
  const fail = (property: string, reason: string) => failures.push(reportable({ property, reason }));

  for (const key of Object.keys(raw)) {
    if (!(INPUT_NAMES as string[]).includes(key) && !ENGINE_KEYS.has(key)) fail(key, `unknown property \`${key}\`${suggestion(key, INPUT_NAMES)}`);
  }

  const parsed = declarationSchema.safeParse(raw);
  if (!parsed.success) {
    failures.push(...failuresOf(parsed.error.issues, raw));
    return { failures };
  }
  const value = parsed.data;

  for (const key of INPUT_NAMES) {
    const v = value[key];
    if (v === undefined || v === UNKNOWN) continue;
    const limit = (INPUTS[key] as Property).limit;
    const reason = limit?.(v);
    if (reason !== undefined) fail(key, reason);
  }

  if (raw.adoptId !== undefined && raw.adoptByIdentifier === true) fail("adoptId", "set either adoptId or adoptByIdentifier, not both");
  if (raw.adoptByIdentifier === true && raw.identifier === undefined)
    fail("adoptByIdentifier", "adoptByIdentifier needs `identifier` to find the integration to adopt");

  // A create sends the identifier derived from the name when none is
  // declared; the API refuses one shorter than its minimum. Say so now, not
  // after `up` has started. (An adopted integration keeps the hub's.)
  if (ctx.creating && value.identifier === undefined && value.adoptId === undefined && typeof value.name === "string" && value.name !== UNKNOWN) {
    const derived = deriveIdentifier(value.name);
    if (derived.length < MIN_IDENTIFIER_LENGTH && !failures.some((f) => f.property === "name")) {
      const got = derived === "" ? "no identifier at all" : `only \`${derived}\``;
      fail(
        "name",
        `the API derives an integration's identifier from its name (lowercase a-z and 0-9, other characters made \`-\`), and this name gives ${got}: the API needs at least ${MIN_IDENTIFIER_LENGTH} characters. Declare \`identifier\` (e.g. \`identifier: "production-storage"\`)`,
      );
    }
  }
  return { value, failures };
}

/**
 * The engine prints the input value of the property a failure names, secret
 * or not ("property apiKey value ... has a problem"). A failure about a
 * secret property as a whole is therefore reported without a property; its
 * reason names it.
 */
function reportable(failure: CheckFailure): CheckFailure {
  const described = DESCRIBED[failure.property];
  if (!described?.secret) return failure;
  return { property: "", reason: failure.reason.startsWith(failure.property) ? failure.reason : `${failure.property}: ${failure.reason}` };
}

// ---------------------------------------------------------------------------
// What the engine hands to the other calls
// ---------------------------------------------------------------------------

/** A value from the engine or from state that does not parse. Names the properties, never a value. */
export class InvalidPropertiesError extends Error {
  override readonly name = "InvalidPropertiesError";
  constructor(
    what: string,
    readonly failures: CheckFailure[],
  ) {
    super(`${what} do not parse: ${failures.map((f) => f.reason).join("; ")}`);
  }
}

/** The checked inputs of a create or update (never unknown there). */
export function parseInputs(props: Props): IntegrationInputs {
  return parsed(inputsSchema, props, "The resource's inputs");
}

/** The checked inputs diff gets: during a preview, values may be unknown. */
export function parsePreviewInputs(props: Props): PreviewInputs {
  return parsed(previewInputsSchema, props, "The resource's inputs");
}

/** What the provider recorded in state, by this version or an earlier one. */
export function parseRecorded(props: Props): IntegrationOutputs {
  return parsed(outputsSchema, props, "The resource's recorded state");
}

/** A record for refresh and delete: what is there must have its type, and nothing need be there. */
export function parseRecord(props: Props): IntegrationRecord {
  return parsed(recordSchema, props, "The resource's recorded state");
}

function parsed<S extends z.ZodType>(schema: S, props: Props, what: string): z.output<S> {
  const result = schema.safeParse(props);
  if (!result.success) throw new InvalidPropertiesError(what, failuresOf(result.error.issues, props));
  return result.data;
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

/** Zod's issues as failures in our words, one per property. */
function failuresOf(issues: readonly z.core.$ZodIssue[], raw: Props): CheckFailure[] {
  const out: CheckFailure[] = [];
  for (const issue of issues.flatMap((i) => unwrapUnion(i, []))) {
    for (const f of describe(issue, raw)) {
      const r = reportable(f);
      if (!out.some((o) => o.property === r.property && o.reason === r.reason)) out.push(r);
    }
  }
  return out;
}

type Located = { issue: z.core.$ZodIssue; path: PropertyKey[] };

/** A union with the unknown sentinel failed: what counts is why its other member did. */
function unwrapUnion(issue: z.core.$ZodIssue, prefix: PropertyKey[]): Located[] {
  const path = [...prefix, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length === 2 && issue.errors[0].every((e) => e.code === "invalid_value")) {
    return issue.errors[1].flatMap((i) => unwrapUnion(i, path));
  }
  return [{ issue, path }];
}

function describe({ issue, path }: Located, raw: Props): CheckFailure[] {
  const [top, sub] = path.map(String);
  if (top === undefined) return [{ property: "", reason: issue.message }];
  if (top === "auth" && issue.code === "unrecognized_keys") return issue.keys.map((k) => ({ property: `auth.${k}`, reason: unknownCredential(k) }));
  if (sub !== undefined && (top === "auth" || top === "extra")) return [{ property: `${top}.${sub}`, reason: `${top}.${sub} must be a string` }];
  const described = DESCRIBED[top];
  if (raw[top] === undefined || raw[top] === null) return [{ property: top, reason: `${top} is required` }];
  if (!described) return [{ property: top, reason: `${top} is malformed` }];
  return [{ property: top, reason: `${top} must be ${described.expect}` }];
}

function unknownCredential(key: string): string {
  // The catalogue and the API spell fields in snake_case; the resource takes camelCase.
  const camel = AUTH_NAMES_LIST.find((n) => AUTH[n].api === key);
  if (camel && camel !== key) return `unknown credential field \`${key}\`; did you mean \`${camel}\`? (the API's \`${key}\` is \`${camel}\` here)`;
  const near = suggestion(key, AUTH_NAMES_LIST);
  return `unknown credential field \`${key}\`${near || `; known fields are ${AUTH_NAMES_LIST.join(", ")}`}`;
}

/** "; did you mean `x`?" for the nearest known name, or nothing when none is near. */
export function suggestion(key: string, known: readonly string[]): string {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const [k, n] = [key.toLowerCase(), name.toLowerCase()];
    // A known name that starts with the key (`verifyTimeout`) is as near as one typo.
    const distance = k.length >= 4 && n.startsWith(k) ? 1 : editDistance(k, n);
    if (!best || distance < best.distance) best = { name, distance };
  }
  const near = best !== undefined && best.distance <= Math.max(2, Math.floor(key.length / 3));
  return near ? `; did you mean \`${best!.name}\`?` : "";
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length];
}
