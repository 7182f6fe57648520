/**
 * The behaviour options, where the contract leaves the API's answer open:
 * each default is the strictest choice (the least help to a client), and the
 * lenient value is there for tests that ask for it.
 */
import { Integration, Job, JobDescriptor } from "../../provider/api/contract";
import { EmulatorHandle, EmulatorOptions, LENIENT_BEHAVIOUR, MAX_PAGE_SIZE, startEmulator, STRICT_BEHAVIOUR, VENDORS } from "../../emulator";
import { call, create, dataOf, expectError, paths, SAMPLE_BODIES, verify, waitForJob } from "./helpers";

/** Runs `body` against an emulator of its own, closed afterwards. */
async function withEmulator(opts: EmulatorOptions, body: (h: EmulatorHandle) => Promise<void>): Promise<void> {
  const h = await startEmulator({ jobStepMs: 5, ...opts });
  try {
    await body(h);
  } finally {
    await h.close();
  }
}

const authValues = (i: Integration): unknown[] => Object.values(i.auth ?? {});

describe("defaults", () => {
  it("are the strict choices", async () => {
    expect(STRICT_BEHAVIOUR).toEqual({
      echoAuth: false,
      maxPageSize: 25,
      searchFields: ["name"],
      jobNotFoundReads: 1,
      creatorType: "account",
      clockOffsetMs: -90_000,
      quoteCredentials: true,
    });
    await withEmulator({}, async (h) => {
      expect(h.options).toEqual(STRICT_BEHAVIOUR);
    });
  });

  it("refuse values out of range", async () => {
    await expect(startEmulator({ maxPageSize: 0 })).rejects.toThrow(/maxPageSize/);
    await expect(startEmulator({ maxPageSize: MAX_PAGE_SIZE + 1 })).rejects.toThrow(/maxPageSize/);
    await expect(startEmulator({ searchFields: [] })).rejects.toThrow(/searchFields/);
    await expect(startEmulator({ jobNotFoundReads: -1 })).rejects.toThrow(/jobNotFoundReads/);
    await expect(startEmulator({ creatorType: "visitor" as "account" })).rejects.toThrow(/creatorType/);
    await expect(startEmulator({ clockOffsetMs: 1.5 })).rejects.toThrow(/clockOffsetMs/);
    await expect(startEmulator({ echoAuth: true, redactAuth: true })).rejects.toThrow(/contradict/);
  });
});

describe("echoAuth", () => {
  it("by default every auth value is null, on create, get, list and update; the store keeps them", async () => {
    await withEmulator({}, async (h) => {
      const i = await create(h, SAMPLE_BODIES.aws);
      expect(authValues(i).every((v) => v === null)).toBe(true);
      expect(authValues(dataOf<Integration>(await call(h, "GET", paths.integration(i.id)))).every((v) => v === null)).toBe(true);
      expect(
        dataOf<Integration[]>(await call(h, "GET", paths.integrations))
          .flatMap(authValues)
          .every((v) => v === null),
      ).toBe(true);
      const patched = dataOf<Integration>(
        await call(h, "PATCH", paths.integration(i.id), { body: { auth: { key_id: "AKIAZZZZZZZZZZZZZZZZ", secret: SAMPLE_BODIES.aws.auth!.secret } } }),
      );
      expect(authValues(patched).every((v) => v === null)).toBe(true);
      // The store keeps the credentials, and they still drive verification.
      expect(h.integrations()[0].auth?.key_id).toBe("AKIAZZZZZZZZZZZZZZZZ");
      const bad = await create(h, { ...SAMPLE_BODIES.vultr, auth: { api_key: "INVALID00000000000000000000000000000" } });
      expect((await waitForJob(h, (await verify(h, bad.id)).job!.id)).state.current).toBe("error");
    });
  });

  it("echoAuth: true (or the old redactAuth: false) answers the stored values", async () => {
    for (const opts of [{ echoAuth: true }, { redactAuth: false }]) {
      await withEmulator(opts, async (h) => {
        const i = await create(h, SAMPLE_BODIES.aws);
        expect(i.auth).toMatchObject(SAMPLE_BODIES.aws.auth!);
      });
    }
  });
});

describe("maxPageSize", () => {
  const seed = (h: EmulatorHandle, n: number): void => {
    for (let k = 0; k < n; k++) h.outOfBand.create(h.hubs.primary, { ...SAMPLE_BODIES.aws, name: `Paged integration ${k}` });
  };
  const page = async (h: EmulatorHandle, query: string): Promise<Integration[]> => dataOf<Integration[]>(await call(h, "GET", `${paths.integrations}${query}`));

  it("by default serves at most 25 a page, still accepting page[size] up to 100; pages are counted in served items", async () => {
    await withEmulator({}, async (h) => {
      seed(h, 30);
      const first = await page(h, "?page[size]=100");
      expect(first).toHaveLength(25);
      const second = await page(h, "?page[size]=100&page[number]=2");
      expect(second).toHaveLength(5);
      expect(await page(h, "?page[size]=100&page[number]=3")).toEqual([]);
      // Every integration exactly once, for a client that pages on to an empty page.
      expect(new Set([...first, ...second].map((i) => i.id)).size).toBe(30);
      expect(await page(h, "?page[size]=10")).toHaveLength(10);
      expect(await page(h, "")).toHaveLength(20);
      expectError(await call(h, "GET", `${paths.integrations}?page[size]=101`), "422.invalid-argument");
      expectError(await call(h, "GET", `${paths.integrations}?page[size]=0`), "422.invalid-argument");
    });
  });

  it("maxPageSize: 100 serves what page[size] asks", async () => {
    await withEmulator({ maxPageSize: 100 }, async (h) => {
      seed(h, 30);
      expect(await page(h, "?page[size]=100")).toHaveLength(30);
    });
  });
});

describe("searchFields", () => {
  const search = async (h: EmulatorHandle, text: string): Promise<string[]> =>
    dataOf<Integration[]>(await call(h, "GET", `${paths.integrations}?filter[search]=${encodeURIComponent(text)}`)).map((i) => i.name);

  it("by default matches names only", async () => {
    await withEmulator({}, async (h) => {
      await create(h, { ...SAMPLE_BODIES[VENDORS.backblazeB2], name: "Offsite copies", identifier: "tape-vault" });
      expect(await search(h, "OFFSITE")).toEqual(["Offsite copies"]);
      expect(await search(h, "tape-vault")).toEqual([]);
      expect(await search(h, "backblaze")).toEqual([]);
    });
  });

  it("searchFields: name, identifier, vendor matches all three", async () => {
    await withEmulator({ searchFields: ["name", "identifier", "vendor"] }, async (h) => {
      await create(h, { ...SAMPLE_BODIES[VENDORS.backblazeB2], name: "Offsite copies", identifier: "tape-vault" });
      expect(await search(h, "tape-vault")).toEqual(["Offsite copies"]);
      expect(await search(h, "backblaze")).toEqual(["Offsite copies"]);
    });
  });
});

describe("jobNotFoundReads", () => {
  const readJob = (h: EmulatorHandle, id: string) => call(h, "GET", paths.job(id));

  it("by default the first read of every new job, verify and delete, is 404.job", async () => {
    await withEmulator({}, async (h) => {
      const i = await create(h, SAMPLE_BODIES.aws);
      const v = (await verify(h, i.id)).job!.id;
      expectError(await readJob(h, v), "404.job");
      expect(dataOf<Job>(await readJob(h, v)).id).toBe(v);
      await waitForJob(h, v);
      const d = dataOf<JobDescriptor>(await call(h, "DELETE", paths.integration(i.id))).job!.id;
      expectError(await readJob(h, d), "404.job");
      expect((await readJob(h, d)).status).toBe(200);
    });
  });

  it("a refused read (no hub, no capability) does not use up the hidden read", async () => {
    await withEmulator({}, async (h) => {
      const i = await create(h, SAMPLE_BODIES.aws);
      const v = (await verify(h, i.id)).job!.id;
      expectError(await call(h, "GET", paths.job(v), { hub: null }), "403.wrong-hub");
      expectError(await call(h, "GET", paths.job(v), { key: h.keys.noJobsView }), "403.permissions");
      expectError(await readJob(h, v), "404.job");
    });
  });

  it("takes any count, 0 making jobs readable at once; a matching jobNotFoundFor rule overrides it", async () => {
    await withEmulator({ jobNotFoundReads: 3 }, async (h) => {
      const i = await create(h, SAMPLE_BODIES.aws);
      const v = (await verify(h, i.id)).job!.id;
      for (let n = 0; n < 3; n++) expectError(await readJob(h, v), "404.job");
      expect((await readJob(h, v)).status).toBe(200);
      await waitForJob(h, v);
      // At run time (also through the control plane): every new job readable at once.
      h.faults.jobNotFoundFor(0, { path: /./ });
      const w = (await verify(h, i.id)).job!.id;
      expect((await readJob(h, w)).status).toBe(200);
      await waitForJob(h, w);
      // Removing the rules goes back to the option.
      h.faults.jobNotFoundFor(0);
      expectError(await readJob(h, (await verify(h, i.id)).job!.id), "404.job");
    });
    await withEmulator({ jobNotFoundReads: 0 }, async (h) => {
      const i = await create(h, SAMPLE_BODIES.aws);
      expect((await readJob(h, (await verify(h, i.id)).job!.id)).status).toBe(200);
    });
  });
});

describe("creatorType", () => {
  it("by default records the key owner's account, for integrations, jobs and portal creations alike", async () => {
    await withEmulator({}, async (h) => {
      const owner = { type: "account", id: h.accountId };
      expect(Object.values(h.keyIds)).not.toContain(h.accountId);
      const mine = await create(h, SAMPLE_BODIES.aws);
      expect(mine.creator).toEqual(owner);
      const theirs = await create(h, SAMPLE_BODIES.aws, { key: h.keys.noJobsView });
      expect(theirs.creator).toEqual(owner);
      expect(h.outOfBand.create(h.hubs.primary, SAMPLE_BODIES.vultr).creator).toEqual(owner);
      const job = await waitForJob(h, (await verify(h, mine.id)).job!.id);
      expect(job.creator).toEqual(owner);
    });
  });

  it("creatorType: api-key records the key", async () => {
    await withEmulator({ creatorType: "api-key" }, async (h) => {
      const i = await create(h, SAMPLE_BODIES.aws);
      expect(i.creator).toEqual({ type: "api-key", id: h.keyIds.admin });
      const job = await waitForJob(h, (await verify(h, i.id)).job!.id);
      expect(job.creator).toEqual({ type: "api-key", id: h.keyIds.admin });
    });
  });
});

describe("clockOffsetMs", () => {
  /** The answer's server instants must lie in [before, after] shifted by the offset (Date to the second). */
  async function checkClock(offset: number): Promise<void> {
    await withEmulator({ clockOffsetMs: offset, jobNotFoundReads: 0 }, async (h) => {
      const before = Date.now();
      const r = await call(h, "POST", paths.integrations, { body: SAMPLE_BODIES.aws });
      const after = Date.now();
      const i = dataOf<Integration>(r);
      const created = Date.parse(i.events.created);
      expect(created).toBeGreaterThanOrEqual(before + offset);
      expect(created).toBeLessThanOrEqual(after + offset);
      expect(i.state.changed).toBe(i.events.created);

      const date = r.headers.get("date")!;
      expect(date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      const d = Date.parse(date);
      expect(d).toBeGreaterThanOrEqual(Math.floor((before + offset) / 1000) * 1000);
      expect(d).toBeLessThanOrEqual(after + offset);
      // Errors carry the same clock.
      const err = await call(h, "GET", paths.integrations, { key: null });
      expect(Math.abs(Date.parse(err.headers.get("date")!) - (Date.now() + offset))).toBeLessThan(2000);

      // The job timeline is one clock: descriptor, job and integration agree.
      const desc = await verify(h, i.id);
      const job = await waitForJob(h, desc.job!.id);
      expect(job.schedule).toBe(desc.job!.schedule);
      expect(job.events.queued).toBe(desc.job!.schedule);
      expect(Date.parse(job.events.queued)).toBeGreaterThanOrEqual(created);
      expect(Date.parse(job.events.started)).toBeGreaterThan(Date.parse(job.events.queued));
      expect(Date.parse(job.events.completed)).toBeGreaterThan(Date.parse(job.events.started));
      expect(Date.parse(job.events.completed)).toBeLessThanOrEqual(Date.now() + offset);
      const live = dataOf<Integration>(await call(h, "GET", paths.integration(i.id)));
      expect(live.state.changed).toBe(job.events.completed);
    });
  }

  it("by default the server's clock is 90 s behind: timestamps and Date", () => checkClock(-90_000));
  it("takes any offset, ahead or none", async () => {
    await checkClock(0);
    await checkClock(3_600_000);
  });
});

describe("quoteCredentials", () => {
  const failing = { ...SAMPLE_BODIES.aws, name: "Quoted rejection", auth: { ...SAMPLE_BODIES.aws.auth, key_id: "AKIAINVALID000000000" } };

  it("by default a failed verification quotes the rejected value, in the job and in the integration's state", async () => {
    await withEmulator({ jobNotFoundReads: 0 }, async (h) => {
      const i = await create(h, failing);
      const job = await waitForJob(h, (await verify(h, i.id)).job!.id);
      expect(job.state.current).toBe("error");
      expect(JSON.stringify(job)).toContain('/auth/key_id: \\"AKIAINVALID000000000\\"');
      const after = dataOf<Integration>(await call(h, "GET", paths.integration(i.id)));
      expect(after.state.error?.message).toContain("AKIAINVALID000000000");
    });
  });

  it("turned off, the message names the field only", async () => {
    await withEmulator({ jobNotFoundReads: 0, quoteCredentials: false }, async (h) => {
      const i = await create(h, failing);
      const job = await waitForJob(h, (await verify(h, i.id)).job!.id);
      expect(JSON.stringify(job)).toContain("/auth/key_id");
      expect(JSON.stringify(job)).not.toContain("AKIAINVALID000000000");
    });
  });
});

describe("LENIENT_BEHAVIOUR", () => {
  it("is the old helpful behaviour, all at once", async () => {
    await withEmulator({ ...LENIENT_BEHAVIOUR }, async (h) => {
      expect(h.options).toEqual({ ...LENIENT_BEHAVIOUR, searchFields: ["name", "identifier", "vendor"] });
      const i = await create(h, SAMPLE_BODIES.aws);
      expect(i.auth?.key_id).toBe(SAMPLE_BODIES.aws.auth!.key_id);
      expect(i.creator.type).toBe("api-key");
      expect(Math.abs(Date.parse(i.events.created) - Date.now())).toBeLessThan(2000);
      expect((await call(h, "GET", paths.job((await verify(h, i.id)).job!.id))).status).toBe(200);
    });
  });
});
