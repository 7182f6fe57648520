/**
 * The JSON schemas (draft 2020-12) of `contract/schemas/`, generated from the
 * named schemas of this contract: one document per named schema, referring
 * to the others by file name. `npm run generate:contract` writes them; a test
 * fails when the committed files differ from what this returns.
 */
import { z } from "zod";
import * as contract from "./index";
import { ContractMeta, contractRegistry, SPEC_COMMIT } from "./registry";

/** The base every `$id` is under, so `$ref`s between files resolve by file name. */
export const SCHEMA_BASE = "https://pulumi-cycle.invalid/contract/schemas/";

/** The `$comment` of a named schema: where it comes from, and where it departs. */
function commentOf(from: string, departs: string | undefined): string {
  const source = `Generated from provider/api/contract, written from cycleplatform/api-spec@${SPEC_COMMIT}: ${from}.`;
  return departs ? `${source} Departs from the spec (see contract/README.md): ${departs}` : source;
}

/** Every file of `contract/schemas/`, by name without `.json`, in name order. */
export function contractJsonSchemas(): Map<string, Record<string, unknown>> {
  const { schemas } = z.toJSONSchema(contractRegistry, {
    target: "draft-2020-12",
    // Answers are open (a field the API adds is no violation); bodies and
    // queries the contract closes say so with strictObject.
    io: "input",
    unrepresentable: "throw",
    uri: (id) => `${id}.json`,
  });
  const metaById = new Map<string, ContractMeta>();
  for (const value of Object.values(contract)) {
    const meta = value instanceof z.ZodType ? contractRegistry.get(value) : undefined;
    if (meta) metaById.set(meta.id, meta);
  }
  const out = new Map<string, Record<string, unknown>>();
  for (const id of Object.keys(schemas).sort()) {
    const meta = metaById.get(id);
    if (!meta) throw new Error(`contract schema ${id} is not exported by provider/api/contract`);
    const { $schema, $id: _id, title: _title, description: _description, from: _from, departs: _departs, ...body } = schemas[id] as Record<string, unknown>;
    out.set(id, {
      $schema,
      $id: `${SCHEMA_BASE}${id}.json`,
      $comment: commentOf(meta.from, meta.departs),
      title: meta.title,
      ...(meta.description ? { description: meta.description } : {}),
      ...body,
    });
  }
  return out;
}

/** A file's text as `generate:contract` writes it. */
export const fileTextOf = (schema: unknown): string => `${JSON.stringify(schema, null, 2)}\n`;
