/**
 * The schemas themselves: each names the spec files and commit it was written
 * from, and each catches what issue 11 found (so a test that validates
 * against them cannot pass by validating nothing).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { ZERO_TIME } from "../../provider/api/types";
import { loadSchemaFiles, violations } from "./schemas";

const SPEC_COMMIT = /cycleplatform\/api-spec@[0-9a-f]{40}: .*\.yml/;

describe("contract/schemas", () => {
  const files = loadSchemaFiles();

  it("every file names the api-spec commit and the spec files it was written from", () => {
    expect(files.size).toBeGreaterThanOrEqual(20);
    for (const [name, s] of files) {
      expect({ name, comment: SPEC_COMMIT.test(s.$comment) }).toEqual({ name, comment: true });
      expect(s.$id.endsWith(`/${name}.json`)).toBe(true);
    }
  });

  it("every departure the schemas record is in contract/README.md's table", () => {
    const readme = readFileSync(path.resolve(__dirname, "../../contract/README.md"), "utf8");
    for (const [name, s] of files)
      if (/Departs from the spec/.test(s.$comment)) expect({ name, listed: readme.includes(`\`${name}.json\``) }).toEqual({ name, listed: true });
  });

  const step = { caption: "Validating credentials", description: "Checking.", started: ZERO_TIME, completed: ZERO_TIME };
  const descriptor = (steps: unknown) => ({
    data: {
      action: "verify",
      job: {
        id: "aaaaaaaaaaaaaaaaaaaaaaaa",
        accepted: true,
        queue: "q",
        schedule: ZERO_TIME,
        parallel: { tasks: false },
        tasks: [{ caption: "c", header: "h", steps, input: {} }],
      },
    },
  });

  it("a JobDescriptor's steps need caption, description, started and completed", () => {
    expect(violations("JobDescriptorDocument", descriptor([step]))).toBe("");
    expect(violations("JobDescriptorDocument", descriptor([{ caption: step.caption, description: step.description }]))).toMatch(/started/);
    expect(violations("JobDescriptorDocument", descriptor([{ ...step, started: "yesterday" }]))).toMatch(/date-time/);
  });

  it("Error: status, code and title required; 429 admitted; codes the project knows", () => {
    const doc = (error: object) => ({ error, data: null });
    expect(violations("ErrorDocument", doc({ status: 429, code: "429.rate-limiting", title: "Rate limited" }))).toBe("");
    expect(violations("ErrorDocument", doc({ status: 404, code: "404.job" }))).toMatch(/title/);
    expect(violations("ErrorDocument", doc({ status: 418, code: "418.teapot", title: "Teapot" }))).not.toBe("");
    expect(violations("ErrorDocument", { error: { status: 404, code: "404.job", title: "Job not found" }, data: {} })).toMatch(/null/);
  });

  it("IntegrationDefinition requires fields (not the spec's stale required_fields)", () => {
    const def = {
      vendor: "aws",
      name: "AWS",
      supports_verification: true,
      supports_multiple: true,
      features: null,
      extends: null,
      extended_configuration: { options: [{ title: "Retention", key: "days", type: "int", default: 7 }] },
      fields: { auth: null, extra: null },
      url: "https://aws.amazon.com",
      public: true,
      usable: true,
      deprecated: false,
      editable: true,
    };
    const doc = (d: object) => ({ data: { billing: null, "infrastructure-provider": [d] } });
    expect(violations("AvailableIntegrationsDocument", doc(def))).toBe("");
    const { fields: _fields, ...withoutFields } = def;
    expect(violations("AvailableIntegrationsDocument", doc(withoutFields))).toMatch(/fields/);
    expect(
      violations("AvailableIntegrationsDocument", doc({ ...def, extended_configuration: { options: [{ title: "t", key: "k", type: "int", default: "7" }] } })),
    ).not.toBe("");
  });

  it("request bodies: create with or without identifier, nothing unknown; the task is exactly verify", () => {
    expect(violations("CreateIntegrationRequest", { name: "Production AWS", vendor: "aws" })).toBe("");
    expect(violations("CreateIntegrationRequest", { name: "Production AWS", vendor: "aws", identifier: "prod" })).toBe("");
    expect(violations("CreateIntegrationRequest", { name: "Production AWS", vendor: "aws", identifier: "pr" })).toMatch(/identifier/);
    expect(violations("CreateIntegrationRequest", { name: "AWS", vendor: "aws" })).toMatch(/name/);
    expect(violations("CreateIntegrationRequest", { name: "Production AWS", vendor: "aws", auth: { password: "x" } })).not.toBe("");
    expect(violations("UpdateIntegrationRequest", { name: null, auth: null, extra: null })).toBe("");
    expect(violations("UpdateIntegrationRequest", { vendor: "gcp" })).not.toBe("");
    expect(violations("CreateIntegrationJobRequest", { action: "verify" })).toBe("");
    expect(violations("CreateIntegrationJobRequest", { action: "reboot" })).not.toBe("");
  });
});
