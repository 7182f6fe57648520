// The generated Go SDK under Pulumi's mocks (no engine, no language host):
// a program registers an Integration and calls getIntegration, and the mocks
// see the package's type tokens, the inputs as written, and the credentials
// marked secret.
package sdktest

import (
	"sync"
	"testing"

	"github.com/cycle-pulumi/pulumi-cycle/sdk/go/cycle"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const integrationID = "0123456789abcdef01234567"

type mocks struct {
	mu        sync.Mutex
	resources []pulumi.MockResourceArgs
	calls     []pulumi.MockCallArgs
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.resources = append(m.resources, args)
	outs := args.Inputs.Copy()
	outs["integrationId"] = resource.NewStringProperty(integrationID)
	return integrationID, outs, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, args)
	return resource.NewPropertyMapFromMap(map[string]interface{}{
		"id":         integrationID,
		"vendor":     "aws",
		"name":       "Backups",
		"identifier": "backups",
		"hubId":      "fedcba9876543210fedcba98",
		"state":      "live",
		"createdAt":  "2026-01-01T00:00:00Z",
		"updatedAt":  "2026-01-01T00:00:00Z",
	}), nil
}

func TestIntegrationAndGetIntegration(t *testing.T) {
	m := &mocks{}
	var lookedUp *cycle.LookupIntegrationResult
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := cycle.NewIntegration(ctx, "backups", &cycle.IntegrationArgs{
			Vendor:     pulumi.String("aws"),
			Name:       pulumi.String("Backups"),
			Identifier: pulumi.String("backups"),
			Auth:       &cycle.IntegrationAuthArgs{KeyId: pulumi.String("AKIAIOSFODNN7EXAMPLE"), Secret: pulumi.String("not-a-real-secret")},
		})
		if err != nil {
			return err
		}
		lookedUp, err = cycle.LookupIntegration(ctx, &cycle.LookupIntegrationArgs{Vendor: pulumi.StringRef("aws"), Identifier: pulumi.StringRef("backups")})
		return err
	}, pulumi.WithMocks("sdk-test", "test", m))
	if err != nil {
		t.Fatal(err)
	}

	if len(m.resources) != 1 {
		t.Fatalf("registered %d resources, want 1", len(m.resources))
	}
	r := m.resources[0]
	if r.TypeToken != "cycle:index:Integration" || r.Name != "backups" {
		t.Errorf("registered %s %q, want cycle:index:Integration \"backups\"", r.TypeToken, r.Name)
	}
	for key, want := range map[string]string{"vendor": "aws", "name": "Backups", "identifier": "backups"} {
		if got := r.Inputs[resource.PropertyKey(key)]; !got.IsString() || got.StringValue() != want {
			t.Errorf("input %s = %v, want %q", key, got, want)
		}
	}
	auth := r.Inputs["auth"]
	if !auth.IsSecret() {
		t.Errorf("input auth is not a secret: %v", auth)
	} else if key := auth.SecretValue().Element.ObjectValue()["keyId"]; key.StringValue() != "AKIAIOSFODNN7EXAMPLE" {
		t.Errorf("auth.keyId = %v", key)
	}

	if len(m.calls) != 1 {
		t.Fatalf("made %d calls, want 1", len(m.calls))
	}
	c := m.calls[0]
	if c.Token != "cycle:index:getIntegration" {
		t.Errorf("called %s, want cycle:index:getIntegration", c.Token)
	}
	if c.Args["vendor"].StringValue() != "aws" || c.Args["identifier"].StringValue() != "backups" || c.Args.HasValue("id") {
		t.Errorf("call args = %v", c.Args)
	}
	if lookedUp.Id != integrationID || lookedUp.HubId != "fedcba9876543210fedcba98" || lookedUp.State != "live" || lookedUp.StateError != nil {
		t.Errorf("result = %+v", lookedUp)
	}
}
