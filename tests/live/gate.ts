/**
 * Whether the live check runs at all. It talks to the real Cycle API with a
 * maintainer's key, so it runs only when asked for (`CYCLE_LIVE=1`) and given
 * a key and a hub; otherwise it is skipped with one line saying why.
 */
import { DEFAULT_API_URL, normalizeBaseUrl } from "../../provider/api/baseUrl";

type Env = Record<string, string | undefined>;

export interface LiveSettings {
  apiKey: string;
  hubId: string;
  apiUrl: string;
  /** Force this vendor instead of choosing one from the catalogue (`CYCLE_LIVE_VENDOR`). */
  vendor?: string;
  /** Values for the vendor's `extra` fields, over the ones chosen (`CYCLE_LIVE_EXTRA`, a JSON object of strings). */
  extra?: Record<string, string>;
}

export type Gate = { run: true; settings: LiveSettings } | { run: false; reason: string };

/** A setting that is present but wrong: the run stops before any request, naming the variable. */
export class LiveSettingsError extends Error {
  override readonly name = "LiveSettingsError";
}

const HUB_ID = /^[a-f0-9]{24}$/;

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** Reads the environment: run (with the settings), or skip (with why). Throws {@link LiveSettingsError} for a value that cannot be right. */
export function liveGate(env: Env): Gate {
  if (env.CYCLE_LIVE !== "1") {
    return { run: false, reason: "CYCLE_LIVE is not 1 (the live check creates and deletes an integration in a real hub, so it only runs when asked)" };
  }
  const apiKey = nonEmpty(env.CYCLE_API_KEY);
  const hubId = nonEmpty(env.CYCLE_HUB_ID);
  const missing = [apiKey ? undefined : "CYCLE_API_KEY", hubId ? undefined : "CYCLE_HUB_ID"].filter((m): m is string => m !== undefined);
  if (missing.length > 0) return { run: false, reason: `CYCLE_LIVE=1 but ${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set` };

  if (!HUB_ID.test(hubId!)) throw new LiveSettingsError("CYCLE_HUB_ID must be a hub ID: 24 lowercase hexadecimal characters");
  let apiUrl: string;
  try {
    apiUrl = normalizeBaseUrl(nonEmpty(env.CYCLE_API_URL) ?? DEFAULT_API_URL);
  } catch (err) {
    throw new LiveSettingsError(`CYCLE_API_URL: ${(err as Error).message}`);
  }
  return { run: true, settings: { apiKey: apiKey!, hubId: hubId!, apiUrl, vendor: nonEmpty(env.CYCLE_LIVE_VENDOR), extra: parseExtra(env.CYCLE_LIVE_EXTRA) } };
}

function parseExtra(raw: string | undefined): Record<string, string> | undefined {
  if (nonEmpty(raw) === undefined) return undefined;
  const wrong = new LiveSettingsError('CYCLE_LIVE_EXTRA must be a JSON object of strings, e.g. {"email":"you@example.com"}');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw!);
  } catch {
    throw wrong;
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) throw wrong;
  const extra: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    if (typeof value !== "string") throw wrong;
    extra[key] = value;
  }
  return extra;
}
