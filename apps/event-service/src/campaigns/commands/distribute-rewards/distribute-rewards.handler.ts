import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Logger } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import type { DistributionResult } from '@member-system/contracts';
import { withTransaction } from '@member-system/shared/database';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { EventServiceConfig } from '../../../config/event-service.config';
import { CampaignCatalog } from '../../campaign-catalog';
import { requireStatus } from '../../campaign-transitions';
import { DistributeRewardsCommand } from './distribute-rewards.command';

/**
 * The `distribute-rewards` admin job: rewards every completed participation once, in batches. Each batch is one transaction that marks its participations rewarded and
 * writes their `campaign.reward-granted.v1` to the outbox, so a run that stops halfway (a crash,
 * a deploy) leaves whole batches done and nothing half done: the resumed job does the rest. Two runs
 * at once never reward one participation twice (the marking is conditional). A closed campaign
 * with nothing left to reward becomes settled.
 */
@CommandHandler(DistributeRewardsCommand)
export class DistributeRewardsHandler implements ICommandHandler<DistributeRewardsCommand> {
  private readonly logger = new Logger(DistributeRewardsHandler.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly catalog: CampaignCatalog,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
    @Inject(EventServiceConfig) private readonly config: EventServiceConfig,
  ) {}

  async execute({ campaignId, job }: DistributeRewardsCommand): Promise<DistributionResult> {
    const campaign = await this.catalog.byId(campaignId);
    requireStatus(campaign, ['published', 'closed', 'settled'], 'Drafts have nothing to reward');
    // A resumed job goes on counting from what its interrupted run recorded.
    const before = job?.progress.done ?? 0;
    let total = before + (await this.totals(campaignId)).pending;
    await job?.report({ done: before, total });
    let rewarded = 0;
    let batches = 0;
    for (;;) {
      job?.signal.throwIfAborted(); // a shutdown: stop between batches, the job resumes elsewhere
      const granted = await this.rewardBatch(campaignId, campaign.reward, async (manager, rows) => {
        // In the batch's transaction: the job's count is exactly the batches committed.
        const done = before + rewarded + rows;
        total = Math.max(total, done); // participations completed meanwhile
        await job?.report({ done, total }, manager);
      });
      if (granted === 0) break;
      rewarded += granted;
      batches += 1;
      this.logger.log({ campaignId, batch: batches, rewarded }, 'campaign rewards: batch done');
      if (this.config.REWARD_BATCH_PAUSE_MS > 0) {
        await sleep(this.config.REWARD_BATCH_PAUSE_MS, undefined, { signal: job?.signal });
      }
    }
    const totals = await this.totals(campaignId);
    const settled = await this.settleIfDone(campaignId, totals.pending);
    if (settled) await this.catalog.invalidate(campaignId);
    return {
      campaignId,
      rewarded: before + rewarded,
      batches,
      totals,
      status: settled ? 'settled' : (await this.catalog.byId(campaignId)).status,
    };
  }

  /** Rewards up to one batch of completed participations; returns how many. */
  private rewardBatch(
    campaignId: string,
    reward: { points?: number; benefitId?: string },
    onBatch: (manager: EntityManager, rewarded: number) => Promise<void>,
  ): Promise<number> {
    return withTransaction(this.dataSource, async (manager) => {
      const batch = randomUUID();
      const marked = await manager.query<{ affectedRows: number }>(
        `UPDATE participation SET status = 'rewarded', rewarded_at = ?, reward_batch = ?
          WHERE campaign_id = ? AND status = 'completed' ORDER BY id LIMIT ?`,
        [this.clock.now(), batch, campaignId, this.config.REWARD_BATCH_SIZE],
      );
      if (marked.affectedRows === 0) return 0;
      const rows = await manager.query<Array<{ id: string; member_id: string; user_id: string }>>(
        'SELECT id, member_id, user_id FROM participation WHERE reward_batch = ? ORDER BY id',
        [batch],
      );
      await this.outbox.addMany(
        manager,
        'campaign.reward-granted.v1',
        rows.map((row) => ({
          campaignId,
          participationId: String(row.id),
          memberId: String(row.member_id),
          userId: String(row.user_id),
          reward,
        })),
      );
      await onBatch(manager, rows.length);
      return rows.length;
    });
  }

  private async totals(campaignId: string): Promise<DistributionResult['totals']> {
    const rows = await this.dataSource.query<Array<{ status: string; n: string }>>(
      'SELECT status, COUNT(*) AS n FROM participation WHERE campaign_id = ? GROUP BY status',
      [campaignId],
    );
    const count = (status: string) => Number(rows.find((row) => row.status === status)?.n ?? 0);
    return {
      participants: rows.reduce((sum, row) => sum + Number(row.n), 0),
      completed: count('completed') + count('rewarded'),
      rewarded: count('rewarded'),
      pending: count('completed'),
    };
  }

  private async settleIfDone(campaignId: string, pending: number): Promise<boolean> {
    if (pending > 0) return false;
    const updated = await this.dataSource.query<{ affectedRows: number }>(
      `UPDATE campaign SET status = 'settled' WHERE id = ? AND status = 'closed'
          AND NOT EXISTS (SELECT 1 FROM participation WHERE campaign_id = ? AND status = 'completed')`,
      [campaignId, campaignId],
    );
    return updated.affectedRows === 1;
  }
}
