/**
 * A create whose outcome could not be settled: the POST may or may not have
 * made an integration, and neither a search of the hub nor the API's clock
 * could tell which one. It is never forgotten: the create fails as a
 * partial failure, so the engine records the resource under a placeholder
 * ID (a dynamic provider can record state only for a resource with an ID)
 * with what is known in its outputs (`unsettledCreate`): when the POST left,
 * the exact look-alikes already in the hub then, whether the API answered,
 * and the candidates seen. The next `up` replaces the placeholder; its diff
 * hands the record to the create (through `UnsettledCreates`, which lives
 * as long as the provider process), and that create settles the old
 * attempt before it sends anything (see `creation.ts`). A destroy settles
 * it the same way.
 */
import { randomBytes } from "crypto";
import { CycleAmbiguityError } from "../errors";
import { z } from "zod";
import type { Props } from "./props";
import { canonicalJson, PROVIDER_KEY } from "./props";
import { BOOKKEEPING } from "./schema";

/** Placeholder IDs start with this: never a Cycle ID (24 hex), so never sent to the API. */
export const UNSETTLED_ID_PREFIX = "unsettled-create-";

/** What is known of a create whose outcome is unknown (described in schema.ts, as it is stored in state). No credentials. */
export type UnsettledCreate = NonNullable<z.output<typeof BOOKKEEPING.unsettledCreate>>;

export function unsettledId(): string {
  return `${UNSETTLED_ID_PREFIX}${randomBytes(8).toString("hex")}`;
}

export function isUnsettledId(id: string | undefined): boolean {
  return typeof id === "string" && id.startsWith(UNSETTLED_ID_PREFIX);
}

/** The record in a resource's outputs, if it holds one that parses as one. */
export function unsettledOf(outputs: Props | undefined): UnsettledCreate | undefined {
  const parsed = BOOKKEEPING.unsettledCreate.safeParse(outputs?.unsettledCreate);
  return parsed.success ? parsed.data : undefined;
}

/** The create failed and could not be settled; `unsettled` is what the next run needs. */
export class UnsettledCreateError extends CycleAmbiguityError {
  override readonly name = "UnsettledCreateError";
  constructor(
    readonly unsettled: UnsettledCreate,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Records handed from a diff (which sees the placeholder's outputs) to the
 * create that replaces it (which sees only the new inputs), in one provider
 * process. Keyed by the inputs, which the engine passes to both unchanged.
 */
export class UnsettledCreates {
  private readonly byInputs = new Map<string, UnsettledCreate[]>();

  put(inputs: Props, record: UnsettledCreate): void {
    const key = keyOf(inputs);
    const list = this.byInputs.get(key) ?? [];
    // A preview and an update in one process diff the same resource twice.
    if (list.some((r) => JSON.stringify(r) === JSON.stringify(record))) return;
    list.push(record);
    this.byInputs.set(key, list);
  }

  take(inputs: Props): UnsettledCreate | undefined {
    const key = keyOf(inputs);
    const list = this.byInputs.get(key);
    const record = list?.shift();
    if (list && list.length === 0) this.byInputs.delete(key);
    return record;
  }
}

function keyOf(inputs: Props): string {
  return canonicalJson(inputs, new Set([PROVIDER_KEY]));
}
