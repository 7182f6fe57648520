/** PATCH bodies: only what differs from the current state is sent. */
import { toApiAuth, IntegrationInputs } from "./model";
import type { UpdateIntegrationBody } from "../api/types";

/** Only what differs from the current state goes into a PATCH. */
export function patchBody(
  current: { name: string; identifier: string; extra?: Record<string, string> | null },
  news: IntegrationInputs,
  sendAuth: boolean,
): UpdateIntegrationBody {
  const body: UpdateIntegrationBody = {};
  if (news.name !== current.name) body.name = news.name;
  if (news.identifier !== undefined && news.identifier !== current.identifier) body.identifier = news.identifier;
  if (news.extra !== undefined && JSON.stringify(sortKeys(news.extra)) !== JSON.stringify(sortKeys(current.extra ?? {}))) {
    body.extra = news.extra;
  }
  if (sendAuth) body.auth = toApiAuth(news.auth) ?? null;
  return body;
}

function sortKeys(m: Record<string, string>): Array<[string, string]> {
  return Object.entries(m).sort(([a], [b]) => a.localeCompare(b));
}
