/**
 * The request log: one entry per API request, for tests to assert on what a
 * client actually sent (how many retries, which endpoints, which hub). It
 * deliberately has no field for headers or bodies, so an API key or a
 * credential can never end up in it.
 */
export interface RequestLogEntry {
  method: string;
  /** Path with the query string, e.g. `/v1/hubs/current/integrations?page[size]=5`. */
  path: string;
  /** HTTP status answered; 0 when the connection was dropped by a fault. */
  status: number;
  /** From arrival to the end of the response, injected latency included. */
  durationMs: number;
  /** The `X-Hub-Id` header as sent, when there was one. */
  hubId?: string;
  /** RFC 3339 arrival time. */
  at: string;
}

export class RequestLog {
  readonly entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }

  /** Empties the log in place, so references to `entries` stay valid. */
  clear(): void {
    this.entries.length = 0;
  }
}
