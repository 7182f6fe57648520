/**
 * The plain-text `cycle:apiKey` warning is decided per Integration, from the
 * config of the program run it belongs to: no flag remembers an earlier run
 * (the Automation API runs several programs in one process).
 */
import * as pulumi from "@pulumi/pulumi";

void pulumi.runtime.setMocks(
  {
    newResource: (args) => ({ id: "651586fca6078e98982dbd90", state: args.inputs }),
    call: () => ({}),
  },
  "project",
  "stack",
  false,
);

const WARNING = /cycle:apiKey is set in plain text/;

test("each Integration is warned about a plain key, in every run; a secret key warns nothing", async () => {
  const { Integration } = await import("../../provider/resource/integration");
  const warn = jest.spyOn(pulumi.log, "warn").mockImplementation(() => Promise.resolve());
  const args = { vendor: "aws", name: "Production AWS" };

  pulumi.runtime.setAllConfig({ "cycle:apiKey": "emu_plain_key_0001" }, []);
  const first = new Integration("first", args);
  const second = new Integration("second", args);
  const warned = () => warn.mock.calls.filter(([message]) => WARNING.test(message));
  expect(warned().map(([, resource]) => resource)).toEqual([first, second]);

  // A later run of the same process, its key now a secret: no warning.
  warn.mockClear();
  pulumi.runtime.setAllConfig({ "cycle:apiKey": "emu_secret_key_0001" }, ["cycle:apiKey"]);
  const third = new Integration("third", args);
  expect(warned()).toEqual([]);

  // And plain again: warned again.
  pulumi.runtime.setAllConfig({ "cycle:apiKey": "emu_plain_key_0001" }, []);
  const fourth = new Integration("fourth", args);
  expect(warned().map(([, resource]) => resource)).toEqual([fourth]);
  warn.mockRestore();
  // Registered (and serialized) before the test ends.
  await Promise.all([first, second, third, fourth].map((r) => new Promise((resolve) => r.urn.apply(resolve))));
});
