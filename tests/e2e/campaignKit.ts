/**
 * What the fault campaigns share, whichever face they run (the dynamic
 * `Integration` in campaign.test.ts, the native plugin from a YAML program
 * in campaignYaml.test.ts): the seeded generator that makes a failing run
 * replayable, the credentials the programs send (and the sweep looks for),
 * the emulator's counted fault rules, and the audit of the hub against the
 * stack's state.
 */
import type { EmulatorHandle } from "../../emulator";
import type { Integration } from "../../provider/api/types";

/** mulberry32: a small seeded generator, so a failing campaign can be replayed. */
export function seeded(seed: number): (min: number, max: number) => number {
  let a = seed >>> 0;
  return (min, max) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const r = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    return min + Math.floor(r * (max - min + 1));
  };
}

/** Credentials that pass the catalogue's patterns (made up: none of them opens anything). */
export const CREDENTIALS = {
  aws: { keyId: "AKIAIOSFODNN7EXAMPLE", secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  awsRotated: { keyId: "AKIAI44QH8DHBEXAMPLE", secret: "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY" },
  b2: { keyId: "005a1b2c3d4e5f60000000001", secret: "K005abcdefghijklmnopqrstuvwxyz1" },
  zerossl: { keyId: "AbCdEfGhIjKlMnOpQrStUv", secret: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ_-" },
  vultr: { apiKey: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" },
  depot: { apiKey: "depot_org_abcdefghij0123456789" },
  stripe: { apiKey: "sk_test_abcdefghijklmnopqrstuvwx" },
  s3: { keyId: "AKIAJ2EXAMPLEKEY0001", secret: "abcdEFGHijklMNOPqrstUVWXyz0123456789ABCD", region: "us-east-1" },
  gcp: { base64Config: "eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0=" },
};

/** Every secret value of CREDENTIALS (a region is not one). */
export const SECRET_VALUES = Object.values(CREDENTIALS)
  .flatMap((c) => Object.entries(c))
  .filter(([k]) => k !== "region")
  .map(([, v]) => v);

/** The counted faults of one campaign: each rule it sets on the emulator adds to these, so the printed figures are what happened. */
export class CampaignFaults {
  lostAnswers = 0;
  serverErrors = 0;
  failedDeleteJobs = 0;

  constructor(
    private readonly emu: EmulatorHandle,
    private readonly pick: (min: number, max: number) => number,
  ) {}

  /** The next `count` answers to matching requests are lost after the emulator has done the work. */
  loseAnswers(count: number, method: string, path?: RegExp): void {
    this.lostAnswers += count;
    this.emu.faults.loseResponses(count, { method, path });
  }

  /** A burst of 5xx on reads; shorter than the client's attempts, as a passing outage is. */
  failReads(count: number): void {
    if (count >= 5) throw new Error("a burst of 5 or more would outlast the retries of one read");
    this.serverErrors += count;
    this.emu.faults.serverErrors(count, this.pick(0, 1) === 0 ? 500 : 503, { method: "GET" });
  }

  /** The next delete job fails: the hub keeps the integration. */
  failDeleteJob(): void {
    this.failedDeleteJobs += 1;
    this.emu.faults.failNextJobs(1, { method: "DELETE" });
  }
}

/** Live integrations of `hubId` that were not there before the campaign (`preExisting`). */
export function oursInHub(emu: EmulatorHandle, hubId: string, preExisting: Integration[]): Integration[] {
  return emu.integrations(hubId).filter((i) => i.state.current !== "deleted" && !preExisting.some((p) => p.id === i.id));
}

export interface Audit {
  /** Integrations of ours that exist but that state does not hold. */
  orphans: string[];
  /** IDs that more than one state entry holds. */
  duplicates: string[];
  /** Writes to, or changes of, integrations that were there before the campaign. */
  touched: string[];
}

/** Compares the hub with the IDs the stack's state holds. */
export function audit(emu: EmulatorHandle, hubId: string, preExisting: Integration[], stateIds: string[]): Audit {
  const orphans = oursInHub(emu, hubId, preExisting)
    .map((i) => i.id)
    .filter((id) => !stateIds.includes(id));
  const duplicates = stateIds.filter((id, n) => stateIds.indexOf(id) !== n);
  const writesToOthers = emu.requestLog.filter((e) => e.method !== "GET" && preExisting.some((p) => e.path.includes(p.id)));
  const changedOthers = preExisting.filter((p) => {
    const now = emu.integrations(hubId).find((i) => i.id === p.id);
    return !now || now.name !== p.name || now.events.updated !== p.events.updated || now.state.current !== p.state.current;
  });
  return { orphans, duplicates, touched: [...writesToOthers.map((e) => `${e.method} ${e.path}`), ...changedOthers.map((p) => p.id)] };
}

/** The faults the emulator actually dealt, read from its request log: lost answers per write route, and 5xx answers to reads. */
export interface DealtFaults {
  lost: { create: number; verify: number; patch: number; delete: number };
  readErrors: number;
}

export function dealtFaults(log: ReadonlyArray<{ method: string; path: string; status: number }>): DealtFaults {
  const route = (e: { method: string; path: string }) => e.path.split("?")[0];
  const lostOf = (method: string, path: RegExp) => log.filter((e) => e.status === 0 && e.method === method && path.test(route(e))).length;
  return {
    lost: {
      create: lostOf("POST", /\/integrations$/),
      verify: lostOf("POST", /\/integrations\/[^/]+\/tasks$/),
      patch: lostOf("PATCH", /\/integrations\/[^/]+$/),
      delete: lostOf("DELETE", /\/integrations\/[^/]+$/),
    },
    readErrors: log.filter((e) => e.method === "GET" && e.status >= 500).length,
  };
}
