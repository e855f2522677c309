import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CampaignRpc } from '@member-system/contracts';
import type { Actor, DistributionResult, RpcCommand } from '@member-system/contracts';
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
 * distribution, started again, and the distribution run again: every participant ends rewarded
 * exactly once.
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

  const distribute = (timeoutMs: number): Promise<DistributionResult> => {
    const command: RpcCommand<unknown> = {
      data: { campaignId },
      actor: admin,
      correlationId: `crash-${campaignId}`,
    };
    return rpc.send('event', CampaignRpc.distribute, command, { timeoutMs });
  };

  it('rewards every participant exactly once when the process dies between batches', async () => {
    running = await startProcess();
    // Its answer never comes (or comes from the next process, if the broker hands it the request).
    void distribute(5_000).catch(() => undefined);
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

    running = await startProcess();
    const rerun = await distribute(60_000);

    // The unanswered request may have been delivered again to the new process, which then did
    // part of the rest: together they did everything, once.
    expect(rerun.totals).toEqual({
      participants: PARTICIPANTS,
      completed: PARTICIPANTS,
      rewarded: PARTICIPANTS,
      pending: 0,
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
