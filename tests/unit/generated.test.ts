/**
 * The public types of the Integration resource are generated from its one
 * description (`npm run generate`): this fails when the committed file is
 * not what the description gives, so a property added to the schema cannot
 * miss the types (or their docs) an editor shows.
 */
import * as fs from "fs";
import { GENERATED_TYPES, renderIntegrationTypes } from "../../scripts/generate";
import type { IntegrationArgs } from "../../provider/resource/generated/integrationTypes";
import type { IntegrationInputs } from "../../provider/resource/model";

test("provider/resource/generated/integrationTypes.ts is current (run `npm run generate`)", () => {
  expect(fs.readFileSync(GENERATED_TYPES, "utf8")).toBe(renderIntegrationTypes());
});

test("the generated arguments and the parsed inputs have the same properties", () => {
  // Compile-time: each key of one is a key of the other (check's bookkeeping aside).
  type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
  const sameKeys: Same<keyof IntegrationArgs, Exclude<keyof IntegrationInputs, "adoptionDone">> = true;
  // Compile-time: what a program declares, resolved, is what the provider parses.
  const sameValues: Same<Required<import("@pulumi/pulumi").Unwrap<IntegrationArgs>>, Required<Omit<IntegrationInputs, "adoptionDone">>> = true;
  expect([sameKeys, sameValues]).toEqual([true, true]);
});
