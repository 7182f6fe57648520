/**
 * What a provider remembers between the engine's calls, in one object: the
 * clients (one per URL and key), the integrations known to belong to the
 * stack, the listings reads share, the vendor catalogues, the creates of
 * look-alikes in flight, the creates an earlier run could not settle, and what the jobs followed taught. A face of the
 * provider makes one when it is configured and passes it with every call
 * (`EngineContext.session`); a test makes a fresh one instead of clearing
 * anything. Nothing of it is written to state.
 */
import { setMaxListeners } from "events";
import type { CycleClient } from "../api/client";
import { JobHistory } from "../api/jobs";
import type { Connection } from "../config";
import { CatalogueCache } from "./definitions";
import { Listings } from "./reads";
import { UnsettledCreates } from "./unsettled";

export class ProviderSession {
  /** Reads served together from one listing of the hub; ended by every write. */
  readonly listings = new Listings();
  /** Each hub's vendor catalogue, fetched once for a few minutes. */
  readonly catalogues = new CatalogueCache();
  /** Durations of the jobs followed, by kind, and the API's clock they showed: the next wait predicts from them. */
  readonly jobs = new JobHistory();
  /**
   * Creates an earlier run could not settle, handed from the diff that sees
   * them (on the placeholder) to the create that replaces them (see unsettled.ts).
   */
  readonly unsettledCreates = new UnsettledCreates();

  private readonly cancellation = new AbortController();
  private readonly clients = new Map<string, CycleClient>();

  constructor() {
    // Every wait in progress listens (one per resource being verified or deleted): no leak warning at 11.
    setMaxListeners(0, this.cancellation.signal);
  }

  /** Aborted when the engine cancels the provider's work: every wait observes it (see `sleeperOf` in context.ts). */
  get signal(): AbortSignal {
    return this.cancellation.signal;
  }

  /** Stops every wait, now and later, in this session. Harmless when nothing waits (the engine cancels every provider at the end of a command). */
  cancel(): void {
    this.cancellation.abort();
  }
  private readonly claimed = new Set<string>();
  private readonly inFlight = new Map<string, Promise<unknown>>();

  /** One client per URL and key; the key is part of the map key only in memory. */
  clientFor(connection: Connection, create: () => CycleClient): CycleClient {
    const key = `${connection.apiUrl}\u0000${connection.apiKey}`;
    let client = this.clients.get(key);
    if (!client) this.clients.set(key, (client = create()));
    return client;
  }

  /**
   * Records that an integration belongs to a resource of the stack: every
   * one this session created, adopted, read, diffed, updated or deleted. A
   * create whose answer was lost is never reconciled to one of these, so two
   * look-alike resources cannot end up bound to the same integration.
   */
  claim(id: string): void {
    this.claimed.add(id);
  }

  claimedIds(): ReadonlySet<string> {
    return this.claimed;
  }

  /**
   * Runs `work` after every earlier call with the same key has settled:
   * creates of look-alikes go one at a time, so that while one is
   * unresolved no twin is in flight that reconciliation could take for it.
   */
  async serialized<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.inFlight.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.set(key, settled);
    try {
      return await mine;
    } finally {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    }
  }
}
