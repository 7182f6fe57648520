/** The public Cycle API. */
export const DEFAULT_API_URL = "https://api.cycle.io";

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["localhost", "::1", "[::1]"]);

function isLoopback(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Checks and normalizes an API base URL. Plain `http://` would send the API
 * key in clear text, so it is only accepted for loopback (the local
 * emulator). Returns the URL without a trailing slash.
 */
export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TypeError(`Cycle API URL ${JSON.stringify(raw)} is not a valid URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`Cycle API URL must use https (got ${url.protocol.replace(":", "")})`);
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    throw new TypeError(
      `Cycle API URL ${url.origin} uses plain http, which would send the API key unencrypted; use https (http is only allowed for loopback addresses such as the local emulator)`,
    );
  }
  if (url.username || url.password) {
    throw new TypeError("Cycle API URL must not contain credentials");
  }
  if (url.search || url.hash) {
    throw new TypeError("Cycle API URL must not contain a query or fragment");
  }
  return url.toString().replace(/\/+$/, "");
}
