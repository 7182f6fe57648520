/** GET /v1/hubs/current/integrations: paging, sort, filters, meta. */
import { Integration } from "../../provider/api/contract";
import { DEFAULT_PAGE_SIZE, definitionOf, EmulatorHandle, MAX_PAGE_SIZE, startEmulator, VENDORS } from "../../emulator";
import { call, create, dataOf, expectError, paths, SAMPLE_BODIES, sleep } from "./helpers";

let h: EmulatorHandle;
const created: Integration[] = [];

const list = async (query = ""): Promise<Integration[]> => dataOf<Integration[]>(await call(h, "GET", paths.integrations + query));
const ids = (xs: Integration[]) => xs.map((x) => x.id);

beforeAll(async () => {
  // Paging, sort and filters are pinned with the lenient cap and search explicitly; the strict defaults have tests of their own.
  h = await startEmulator({ jobStepMs: 5, deleteGraceMs: 60_000, maxPageSize: MAX_PAGE_SIZE, searchFields: ["name", "identifier", "vendor"] });
  // 45 integrations: 30 AWS, 10 Backblaze, 5 Vultr, created in a known order
  // with distinct creation times.
  for (let n = 0; n < 45; n++) {
    const label = String(n).padStart(2, "0");
    const base = n < 30 ? SAMPLE_BODIES.aws : n < 40 ? SAMPLE_BODIES[VENDORS.backblazeB2] : SAMPLE_BODIES.vultr;
    created.push(await create(h, { ...base, name: `${n % 2 ? "Zeta" : "alpha"} ${label} integration` }));
    await sleep(1);
  }
  // One in another hub, which must never show up here.
  await create(h, SAMPLE_BODIES.aws, { key: h.keys.otherHub, hub: h.hubs.secondary });
});
afterAll(() => h.close());

describe("paging", () => {
  it("defaults to pages of 20 in creation order", async () => {
    expect(DEFAULT_PAGE_SIZE).toBe(20);
    expect(ids(await list())).toEqual(ids(created.slice(0, 20)));
  });

  it("walks 45 integrations in pages of 20, 20 and 5, then an empty page", async () => {
    const p1 = await list("?page[number]=1");
    const p2 = await list("?page[number]=2");
    const p3 = await list("?page[number]=3");
    const p4 = await list("?page[number]=4");
    expect([p1.length, p2.length, p3.length, p4.length]).toEqual([20, 20, 5, 0]);
    expect(ids([...p1, ...p2, ...p3])).toEqual(ids(created));
  });

  it("honours page[size]", async () => {
    const pages: Integration[][] = [];
    for (let n = 1; n <= 5; n++) pages.push(await list(`?page[size]=10&page[number]=${n}`));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 10, 10, 5]);
    expect(ids(pages.flat())).toEqual(ids(created));
    expect((await list(`?page[size]=${MAX_PAGE_SIZE}`)).length).toBe(45);
  });

  it.each([
    "page[size]=0",
    `page[size]=${MAX_PAGE_SIZE + 1}`,
    "page[size]=ten",
    "page[size]=-1",
    "page[size]=2.5",
    "page[number]=0",
    "page[number]=x",
    "page[size]=",
  ])("refuses %s with 422.invalid-argument", async (q) => {
    expectError(await call(h, "GET", `${paths.integrations}?${q}`), "422.invalid-argument");
  });
});

describe("sort", () => {
  it("sorts by name, ascending and descending, case-insensitively", async () => {
    const byName = [...created].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    expect(ids(await list("?sort=name&page[size]=100"))).toEqual(ids(byName));
    expect(ids(await list("?sort=-name&page[size]=100"))).toEqual(ids([...byName].reverse()));
  });

  it("sorts by events.created descending", async () => {
    expect(ids(await list("?sort=-events.created&page[size]=100"))).toEqual(ids([...created].reverse()));
  });

  it("sorts by several keys", async () => {
    const got = await list("?sort=vendor,-name&page[size]=100");
    expect(got[0].vendor).toBe("aws");
    expect(got[0].name.startsWith("Zeta")).toBe(true);
    expect(got[44].vendor).toBe("vultr");
  });

  it("paginates the sorted order", async () => {
    const all = await list("?sort=-name&page[size]=100");
    expect(ids(await list("?sort=-name&page[size]=7&page[number]=3"))).toEqual(ids(all.slice(14, 21)));
  });

  it.each(["password", "-auth", "name,", "events"])("refuses sort=%s with 422.invalid-argument", async (s) => {
    expectError(await call(h, "GET", `${paths.integrations}?sort=${s}`), "422.invalid-argument");
  });
});

describe("filters", () => {
  it("filter[search] is a case-insensitive substring of name, identifier or vendor", async () => {
    expect((await list("?filter[search]=ZETA&page[size]=100")).length).toBe(22);
    expect((await list("?filter[search]=backblaze&page[size]=100")).length).toBe(10);
    expect(ids(await list("?filter[search]=alpha-00"))).toEqual([created[0].id]);
    expect(await list("?filter[search]=nothing-matches")).toEqual([]);
  });

  it("filter[category] keeps integrations whose vendor is in that category", async () => {
    expect((await list("?filter[category]=object-storage&page[size]=100")).map((i) => i.vendor)).toEqual(Array(10).fill("backblaze-b2"));
    expect((await list("?filter[category]=infrastructure-provider&page[size]=100")).length).toBe(35);
    expect(await list("?filter[category]=billing")).toEqual([]);
    expectError(await call(h, "GET", `${paths.integrations}?filter[category]=databases`), "422.invalid-argument");
  });

  it("filter[state] and the hiding of deleted integrations", async () => {
    const gone = created[44];
    h.outOfBand.delete(gone.id);
    h.outOfBand.setState(created[43].id, "live");
    try {
      expect(ids(await list("?page[size]=100"))).not.toContain(gone.id);
      expect(ids(await list("?filter[state]=deleted"))).toEqual([gone.id]);
      expect(ids(await list("?filter[state]=live"))).toEqual([created[43].id]);
      expect((await list("?filter[state]=new&page[size]=100")).length).toBe(43);
      // A deleted one is still readable directly during the grace period.
      expect(dataOf<Integration>(await call(h, "GET", paths.integration(gone.id))).state.current).toBe("deleted");
      expectError(await call(h, "GET", `${paths.integrations}?filter[state]=active`), "422.invalid-argument");
    } finally {
      h.outOfBand.purge(gone.id);
      created.pop();
      h.outOfBand.setState(created[43].id, "new");
    }
  });

  it("combines filters, sort and paging", async () => {
    const got = await list("?filter[search]=zeta&filter[category]=infrastructure-provider&sort=-name&page[size]=5&page[number]=2");
    const all = created.filter((i) => i.name.startsWith("Zeta") && i.vendor !== "backblaze-b2").sort((a, b) => b.name.localeCompare(a.name));
    expect(ids(got)).toEqual(ids(all.slice(5, 10)));
  });
});

describe("meta", () => {
  it("meta=definition embeds each integration's definition", async () => {
    const got = await list("?meta=definition&filter[search]=alpha-30");
    expect(got).toHaveLength(1);
    expect(got[0].meta?.definition).toEqual(definitionOf(VENDORS.backblazeB2));
    const plain = await list("?filter[search]=alpha-30");
    expect(plain[0]).not.toHaveProperty("meta");
  });

  it("get takes meta=definition too", async () => {
    const r = await call(h, "GET", `${paths.integration(created[0].id)}?meta=definition`);
    expect(dataOf<Integration>(r).meta?.definition?.vendor).toBe("aws");
  });
});
