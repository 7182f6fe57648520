/**
 * API keys and hubs the emulator knows about. A key has an ID (which shows up
 * as `creator.id`), a secret (the bearer token), the hubs it belongs to and a
 * set of capabilities. Capabilities are per key, as in Cycle where an API key
 * carries its own permission set.
 */
import { Capability, CycleId } from "../provider/api/contract";
import { ApiError } from "./errors";
import { newId, newKeySecret } from "./ids";

export interface ApiKey {
  id: CycleId;
  /** The account that owns the key: the creator of what it creates when creators are recorded as accounts. */
  accountId: CycleId;
  name: string;
  secret: string;
  hubIds: CycleId[];
  capabilities: Capability[];
  /** An expired key is known but refused with `401.auth-expired`. */
  expired: boolean;
}

/** The seeded keys, by the role they play in tests. */
export const KEY_ROLES = ["admin", "viewOnly", "noJobsView", "otherHub", "expired"] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

const ALL: Capability[] = ["hubs-integrations-view", "hubs-integrations-manage", "apionly-jobs-view"];

/** What each seeded key can do; README.md documents the same table. */
const ROLE_SPECS: Record<KeyRole, { hub: "primary" | "secondary"; capabilities: Capability[]; expired?: boolean }> = {
  admin: { hub: "primary", capabilities: ALL },
  viewOnly: { hub: "primary", capabilities: ["hubs-integrations-view", "apionly-jobs-view"] },
  noJobsView: { hub: "primary", capabilities: ["hubs-integrations-view", "hubs-integrations-manage"] },
  otherHub: { hub: "secondary", capabilities: ALL },
  expired: { hub: "primary", capabilities: ALL, expired: true },
};

export function seedKeys(
  hubs: { primary: CycleId; secondary: CycleId },
  secrets: Partial<Record<KeyRole, string>> = {},
  accountId: CycleId = newId(),
): Record<KeyRole, ApiKey> {
  const out = {} as Record<KeyRole, ApiKey>;
  for (const role of KEY_ROLES) {
    const spec = ROLE_SPECS[role];
    out[role] = {
      id: newId(),
      // One person owns every key (and uses the portal), so an account
      // creator says nothing about which client made a thing.
      accountId,
      name: `emulator ${role}`,
      secret: secrets[role] ?? newKeySecret(),
      hubIds: [hubs[spec.hub]],
      capabilities: [...spec.capabilities],
      expired: spec.expired ?? false,
    };
  }
  return out;
}

/** Resolves the `Authorization` header to a key, or throws a 401. */
export function authenticate(header: string | undefined, keys: ReadonlyMap<string, ApiKey>): ApiKey {
  // The auth scheme is case-insensitive (RFC 9110); the token is not.
  const match = /^bearer ([^\s]+)$/i.exec(header?.trim() ?? "");
  if (!match) throw new ApiError("401.auth-invalid", "an Authorization: Bearer <API key> header is required");
  const key = keys.get(match[1]);
  if (!key) throw new ApiError("401.auth-invalid", "the API key is not valid");
  if (key.expired) throw new ApiError("401.auth-expired", "the API key has expired");
  return key;
}
