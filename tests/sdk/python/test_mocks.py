"""The generated Python SDK under Pulumi's mocks (no engine, no language
host): a program registers an Integration and calls get_integration, and the
mocks see the package's type tokens, the inputs as written (camelCase on the
wire), and the credentials marked secret. Run by scripts/sdk-test.sh:
`python -m unittest test_mocks`."""

import unittest

import pulumi
from pulumi.runtime import rpc

INTEGRATION_ID = "0123456789abcdef01234567"


class Mocks(pulumi.runtime.Mocks):
    def __init__(self):
        self.resources = []
        self.calls = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs):
        self.resources.append(args)
        return [INTEGRATION_ID, {**args.inputs, "integrationId": INTEGRATION_ID}]

    def call(self, args: pulumi.runtime.MockCallArgs):
        self.calls.append(args)
        return {
            "id": INTEGRATION_ID,
            "vendor": "aws",
            "name": "Backups",
            "identifier": "backups",
            "hubId": "fedcba9876543210fedcba98",
            "state": "live",
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:00:00Z",
        }


mocks = Mocks()
pulumi.runtime.set_mocks(mocks, project="sdk-test", stack="test", preview=False)

import pulumi_cycle as cycle  # noqa: E402  (after the mocks, as Pulumi's docs have it)


class IntegrationAndLookup(unittest.TestCase):
    @pulumi.runtime.test
    def test_registers_an_integration_and_calls_get_integration(self):
        integration = cycle.Integration(
            "backups",
            vendor="aws",
            name="Backups",
            identifier="backups",
            auth=cycle.IntegrationAuthArgs(key_id="AKIAIOSFODNN7EXAMPLE", secret="not-a-real-secret"),
        )
        found = cycle.get_integration(vendor="aws", identifier="backups")

        self.assertEqual(found.id, INTEGRATION_ID)
        self.assertEqual(found.hub_id, "fedcba9876543210fedcba98")
        self.assertEqual(found.state, "live")
        self.assertIsNone(found.state_error)

        def check(values):
            integration_id, _ = values
            self.assertEqual(integration_id, INTEGRATION_ID)
            self.assertEqual(len(mocks.resources), 1)
            r = mocks.resources[0]
            self.assertEqual((r.typ, r.name), ("cycle:index:Integration", "backups"))
            self.assertEqual({k: r.inputs[k] for k in ("vendor", "name", "identifier")}, {"vendor": "aws", "name": "Backups", "identifier": "backups"})
            auth = r.inputs["auth"]
            self.assertTrue(rpc.is_rpc_secret(auth), f"auth is not a secret: {auth!r}")
            self.assertEqual(rpc.unwrap_rpc_secret(auth), {"keyId": "AKIAIOSFODNN7EXAMPLE", "secret": "not-a-real-secret"})

            self.assertEqual([c.token for c in mocks.calls], ["cycle:index:getIntegration"])
            self.assertEqual(mocks.calls[0].args, {"vendor": "aws", "identifier": "backups"})

        return pulumi.Output.all(integration.integration_id, integration.urn).apply(check)


if __name__ == "__main__":
    unittest.main()
