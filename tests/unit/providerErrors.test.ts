/**
 * One family of errors: every kind a user meets is a CycleError under its
 * own name; what leaves the provider has every credential redacted, message
 * and stack; the dynamic face's marking drops only the server's print.
 */
import { CycleApiError } from "../../provider/api/errors";
import { CycleJobError } from "../../provider/api/jobs";
import { Redactor, REDACTED } from "../../provider/api/redact";
import { CycleConfigError as FromConfig } from "../../provider/config";
import {
  cleaned,
  CycleAmbiguityError,
  CycleConfigError,
  CycleError,
  CycleTimeoutError,
  CycleVerificationError,
  PartialFailureError,
  redacting,
} from "../../provider/errors";
import { CreatedButUnreadError } from "../../provider/resource/creation";
import { UnsettledCreateError } from "../../provider/resource/unsettled";
import { installQuietConsole, reported, reportedOnce } from "../../provider/resource/reporting";
import { IntegrationGoneError } from "../../provider/resource/verification";
import * as pkg from "../../provider/index";

const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

test("every kind is a CycleError, under its own name; the public names stay", () => {
  const kinds: Array<[Error, string, abstract new (...args: never[]) => Error]> = [
    [new CycleConfigError("x"), "CycleConfigError", CycleConfigError],
    [new CycleApiError({ kind: "api", method: "GET", path: "/v1/x", status: 403 }), "CycleApiError", CycleApiError],
    [new CycleJobError("j", "error", "x"), "CycleJobError", CycleJobError],
    [new CycleVerificationError("x"), "CycleVerificationError", CycleVerificationError],
    [new IntegrationGoneError("x"), "IntegrationGoneError", CycleVerificationError],
    [new CycleAmbiguityError("x", ["a", "b"]), "CycleAmbiguityError", CycleAmbiguityError],
    [
      new UnsettledCreateError(
        { hubId: "h", intent: { vendor: "aws", name: "n", identifier: "i" }, sentAt: "t", preExisting: [], answered: false, candidates: [] },
        "x",
      ),
      "UnsettledCreateError",
      CycleAmbiguityError,
    ],
    [new CycleTimeoutError("x"), "CycleTimeoutError", CycleTimeoutError],
    [new CreatedButUnreadError("i", "x"), "CreatedButUnreadError", CycleError],
    [new PartialFailureError("i", {}, ["x"]), "PartialFailureError", PartialFailureError],
  ];
  for (const [err, name, kind] of kinds) {
    expect(err).toBeInstanceOf(CycleError);
    expect(err).toBeInstanceOf(kind);
    expect(err.name).toBe(name);
    expect(String(err)).toBe(`${name}: ${err.message}`);
  }
  expect(FromConfig).toBe(CycleConfigError);
  expect(pkg.CycleConfigError).toBe(CycleConfigError);
  expect(pkg.CycleApiError).toBe(CycleApiError);
});

test("what leaves the provider is redacted, message and stack, and keeps its name", async () => {
  const redactor = new Redactor([SECRET]);
  const thrown = new CycleTimeoutError(`deadline passed for ${SECRET}`);
  const out = await redacting(redactor, async () => {
    throw thrown;
  }).catch((e: Error) => e);
  expect(out.name).toBe("CycleTimeoutError");
  expect(out.message).toBe(`deadline passed for ${REDACTED}`);
  expect(out.stack).not.toContain(SECRET);
  // The real stack: where it was thrown.
  expect(out.stack).toMatch(/providerErrors\.test\.ts:\d+/);

  const partial = cleaned(redactor, new PartialFailureError("i", { a: 1 }, [`failed with ${SECRET}`])) as PartialFailureError;
  expect(partial).toBeInstanceOf(PartialFailureError);
  expect(partial.reasons).toEqual([`failed with ${REDACTED}`]);
  expect(partial.message).not.toContain(SECRET);
  expect(cleaned(redactor, `plain ${SECRET}`).message).toBe(`plain ${REDACTED}`);
});

test("marked errors keep their message; only their print is dropped by the quiet console; debug marks nothing", async () => {
  const lines: unknown[][] = [];
  const fake = { error: (...args: unknown[]) => void lines.push(args) } as unknown as Console;
  installQuietConsole(fake);
  // Compared by identity, never called unbound.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const once = fake.error;
  installQuietConsole(fake);
  // eslint-disable-next-line @typescript-eslint/unbound-method
  expect(fake.error).toBe(once);

  const quiet = await reported(false, () => {
    throw new CycleConfigError("No Cycle hub");
  }).catch((e: Error) => e);
  expect(quiet.message).toBe("No Cycle hub");
  // What the dynamic-provider server prints for it:
  fake.error(`${quiet}: ${quiet.stack}`);
  expect(lines).toEqual([]);
  fake.error("another line");
  expect(lines).toEqual([["another line"]]);

  const loud = await reported(true, () => {
    throw new CycleConfigError("No Cycle hub");
  }).catch((e: Error) => e);
  fake.error(`${loud}: ${loud.stack}`);
  expect(String(lines[1][0])).toMatch(/^CycleConfigError: No Cycle hub: CycleConfigError: No Cycle hub\n\s+at /);
  expect(reportedOnce("text").message).toBe("text");
});
