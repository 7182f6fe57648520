/**
 * The baseline: a plain script making the API calls the provider makes, with
 * the same client, as many at once as Pulumi runs operations, polling each
 * job every 100 ms. No engine, no state, no prediction.
 */
import { CycleClient } from "../provider/api/client";
import { isJobNotFound } from "../provider/api/errors";
import { FINISHED_JOB_STATES } from "../provider/api/types";
import { AWS_GOOD } from "../tests/helpers/fixtures";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function pool<T>(items: T[], parallel: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

async function pollJob(c: CycleClient, jobId: string): Promise<void> {
  for (;;) {
    try {
      const job = await c.getJob(jobId);
      if (FINISHED_JOB_STATES.includes(job.state.current)) return;
    } catch (err) {
      if (!isJobNotFound(err)) throw err;
    }
    await sleep(100);
  }
}

export class Script {
  constructor(
    private readonly c: CycleClient,
    private readonly parallel: number,
  ) {}

  /** The catalogue once, then per integration: create, verify, poll the job, read back. Returns the IDs. */
  async up(names: string[]): Promise<string[]> {
    const ids: string[] = [];
    await this.c.getAvailableIntegrations();
    await pool(names, this.parallel, async (name) => {
      const i = await this.c.createIntegration({ vendor: "aws", name, auth: { key_id: AWS_GOOD.keyId, secret: AWS_GOOD.secret } }, { includeDefinition: true });
      ids.push(i.id);
      const d = await this.c.createVerifyJob(i.id);
      await pollJob(this.c, d.job!.id);
      await this.c.getIntegration(i.id, { includeDefinition: true });
    });
    return ids;
  }

  /** One read per integration. */
  async refresh(ids: string[]): Promise<void> {
    await pool(ids, this.parallel, async (id) => {
      await this.c.getIntegration(id, { includeDefinition: true });
    });
  }

  /** DELETE, then poll the job. */
  async destroy(ids: string[]): Promise<void> {
    await pool(ids, this.parallel, async (id) => {
      const d = await this.c.deleteIntegration(id);
      await pollJob(this.c, d.job!.id);
    });
  }
}
