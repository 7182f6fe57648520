/**
 * How a contract schema is named: each named schema becomes one file of
 * `contract/schemas/` (its `$id`, title and `$comment` come from here), and
 * the schemas that use it refer to that file instead of repeating it.
 */
import { z } from "zod";

/** The commit of `cycleplatform/api-spec` the contract was written from. */
export const SPEC_COMMIT = "e9bc7e9b47c777e8633db29c5197af0582ae4362";

export interface ContractMeta {
  /** The file name without `.json`, and the `$ref` other schemas use. */
  id: string;
  title: string;
  description?: string;
  /** The spec files (relative to the root of `cycleplatform/api-spec`) it was written from. */
  from: string;
  /** Where, and why, it departs from the spec; each is in contract/README.md's table. */
  departs?: string;
}

/** Every named schema of the contract, in the order they were declared. */
export const contractRegistry = z.registry<ContractMeta>();

/** Registers `schema` as one named schema of the contract and returns it. */
export function named<T extends z.ZodType>(schema: T, meta: ContractMeta): T {
  const registered: z.ZodType = schema;
  contractRegistry.add(registered, meta);
  return schema;
}
