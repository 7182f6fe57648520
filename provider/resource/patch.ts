/** PATCH bodies: only what differs from the current state is sent. */
import type { UpdateIntegrationBody } from "../api/types";
import { sameStringMap } from "./identity";
import { IntegrationInputs, toApiAuth } from "./model";

/**
 * Only what differs from the current state goes into a PATCH. Credentials
 * are sent when `sendAuth` says they changed and the program declares them:
 * an `auth` removed from the program is not sent at all (the API reads
 * `auth: null` as "unchanged", so it could not clear them anyway); the hub
 * keeps its credentials and Pulumi stops managing them.
 */
export function patchBody(
  current: { name: string; identifier: string; extra?: Record<string, string> | null },
  news: IntegrationInputs,
  sendAuth: boolean,
): UpdateIntegrationBody {
  const body: UpdateIntegrationBody = {};
  if (news.name !== current.name) body.name = news.name;
  if (news.identifier !== undefined && news.identifier !== current.identifier) body.identifier = news.identifier;
  if (news.extra !== undefined && !sameStringMap(news.extra, current.extra)) body.extra = news.extra;
  const auth = toApiAuth(news.auth);
  if (sendAuth && auth !== undefined) body.auth = auth;
  return body;
}
