import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { AdminJobRpc, CampaignRpc, parseAdminJobId } from '@member-system/contracts';
import type { Actor, AdminJobView, RpcCommand } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { RpcClient } from '@member-system/shared/messaging';
import { MemberLevelProjection } from '@member-system/shared/service';
import type { IntegrationEnv, RunningApp } from '@member-system/shared/testing';
import {
  freePort,
  openIntegrationEnv,
  outboxEvents,
  repoRoot,
  startApp,
  stopApp,
  waitFor,
} from '@member-system/shared/testing';
import { eventDatabase } from '../src/database/data-source';
import { campaignUseCases, startEventService } from './event-service-kit';

const PARTICIPANTS = 200;
const BATCH = 20;

const admin: Actor = { userId: '1', roles: ['admin'], perms: ['campaigns:write'] };

/**
 * The real event-service process is killed (SIGKILL) between two reward batches of a
 * distribution job and started again: the new process resumes the job by itself once the dead
 * one's lease has run out, a second start meanwhile answers the same job, and every participant
 * ends rewarded exactly once.
 */
describe('reward distribution after a crash', () => {
  let env: IntegrationEnv;
  let rpc: RpcClient;
  let running: RunningApp | undefined;
  let campaignId: string;

  beforeAll(async () => {
    env = await openIntegrationEnv(eventDatabase);
    rpc = new RpcClient(env.amqpUrl, 5_000);
    campaignId = await completedCampaign();
    execFileSync(process.execPath, [join(repoRoot, 'tools/build.mjs')], { stdio: 'ignore' });
  });

  afterAll(async () => {
    if (running) await stopApp(running);
    await rpc.close();
    await env.close();
  });

  /** A campaign whose participants all completed, set up in-process, then that process closed. */
  async function completedCampaign(): Promise<string> {
    const app = await startEventService(env);
    try {
      const manage = campaignUseCases(app);
      const campaign = await manage.create({
        title: 'Crash-proof rewards',
        startAt: new Date(Date.now() - 3_600_000).toISOString(),
        endAt: new Date(Date.now() + 3_600_000).toISOString(),
        completion: 'manual',
        reward: { points: 5 },
      });
      await manage.publish(campaign.id);
      for (let index = 0; index < PARTICIPANTS; index += 1) {
        const member = { memberId: String(900_000 + index), userId: String(800_000 + index) };
        await withTransaction(env.dataSource, (manager) =>
          app.get(MemberLevelProjection).record(manager, { ...member, levelId: 1, version: 1 }),
        );
        const joined = await manage.join(member.userId, campaign.id);
        await manage.complete(joined.participationId);
      }
      return campaign.id;
    } finally {
      await app.close();
    }
  }

  function startProcess(): Promise<RunningApp> {
    return freePort().then((port) =>
      startApp(
        'event-service',
        {
          NODE_ENV: 'test',
          LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'warn',
          MYSQL_DATABASE: env.schema,
          RABBITMQ_URL: env.amqpUrl,
          REDIS_PREFIX: `ms:${env.runId}:event:`,
          OUTBOX_POLL_MS: '50',
          REWARD_BATCH_SIZE: String(BATCH),
          REWARD_BATCH_PAUSE_MS: '300',
          ADMIN_JOB_LEASE_MS: '1000',
        },
        port,
      ),
    );
  }

  async function rewarded(): Promise<number> {
    const [row] = await env.dataSource.query<Array<{ n: string }>>(
      "SELECT COUNT(*) AS n FROM participation WHERE campaign_id = ? AND status = 'rewarded'",
      [campaignId],
    );
    return Number(row?.n);
  }

  const command = (data: Record<string, unknown>): RpcCommand<unknown> => ({
    data,
    actor: admin,
    correlationId: `crash-${campaignId}`,
  });
  const distribute = (): Promise<AdminJobView> =>
    rpc.send('event', CampaignRpc.distribute, command({ campaignId }), { timeoutMs: 30_000 });
  const readJob = (jobId: string): Promise<AdminJobView> =>
    rpc.send('event', AdminJobRpc.get, command({ rowId: parseAdminJobId(jobId)?.rowId }));

  it('resumes a distribution job whose process died between batches, rewarding every participant once', async () => {
    running = await startProcess();
    const job = await distribute();
    expect(job).toMatchObject({ kind: 'distribute-rewards', params: { campaignId } });
    await waitFor(async () => (await rewarded()) >= BATCH, {
      timeoutMs: 20_000,
      intervalMs: 20,
      what: 'the first batch',
    });
    running.process.kill('SIGKILL');
    await stopApp(running);
    const atCrash = await rewarded();
    expect(atCrash).toBeGreaterThanOrEqual(BATCH);
    expect(atCrash).toBeLessThan(PARTICIPANTS);
    expect(atCrash % BATCH).toBe(0); // whole batches only
    const [left] = await env.dataSource.query<Array<{ status: string }>>(
      'SELECT status FROM admin_job WHERE id = ?',
      [parseAdminJobId(job.id)?.rowId],
    );
    expect(left?.status).toBe('running');

    // Asked again while the job is unfinished (the request waits in the queue for the new
    // process, which takes the job over no sooner than the dead one's lease runs out): the same job.
    const second = distribute();
    running = await startProcess();
    expect((await second).id).toBe(job.id);

    const finished = await waitFor(
      async () => {
        const read = await readJob(job.id);
        return read.status === 'succeeded' || read.status === 'failed' ? read : false;
      },
      { timeoutMs: 60_000, intervalMs: 100, what: 'the resumed job to finish' },
    );
    expect(finished).toMatchObject({
      status: 'succeeded',
      progress: { done: PARTICIPANTS, total: PARTICIPANTS },
      result: {
        campaignId,
        rewarded: PARTICIPANTS,
        totals: {
          participants: PARTICIPANTS,
          completed: PARTICIPANTS,
          rewarded: PARTICIPANTS,
          pending: 0,
        },
      },
    });
    const grants = (
      await outboxEvents<{ campaignId: string; participationId: string }>(
        env,
        'campaign.reward-granted.v1',
      )
    ).filter((event) => event.campaignId === campaignId);
    expect(grants).toHaveLength(PARTICIPANTS);
    expect(new Set(grants.map((grant) => grant.participationId)).size).toBe(PARTICIPANTS);
  });
});
