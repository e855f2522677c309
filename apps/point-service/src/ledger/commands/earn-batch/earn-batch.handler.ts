import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { EarnBatchItemDto, EarnBatchResult } from '@member-system/contracts';
import { isDuplicateKeyError } from '@member-system/shared/database';
import { Clock } from '@member-system/shared/service';
import { BulkCredits, bulkCreditKeyOf } from '../../core/bulk-credits';
import type { BulkCreditOutcome } from '../../core/bulk-credits';
import { Ledger } from '../../core/ledger';
import { EarnBatchCommand } from './earn-batch.command';

/** Items per transaction: big enough for few round trips, small enough for short locks. */
const CHUNK_ITEMS = 500;
/** A chunk is redone when another writer claims one of its keys meanwhile (rare). */
const CHUNK_ATTEMPTS = 3;

/**
 * `POST /admin/points/earn-batch`: thousands of credits in one call. Items are sorted by member
 * and cut into chunks, each one transaction of the ledger's bulk credit (BulkCredits). Every item
 * earns once by its member, source and sourceId: a retried batch credits only what had not been
 * credited.
 */
@CommandHandler(EarnBatchCommand)
export class EarnBatchHandler implements ICommandHandler<EarnBatchCommand> {
  constructor(
    private readonly ledger: Ledger,
    private readonly bulkCredits: BulkCredits,
    private readonly clock: Clock,
  ) {}

  async execute({ batch }: EarnBatchCommand): Promise<EarnBatchResult> {
    const result: EarnBatchResult = { credited: 0, duplicates: 0, unknownMembers: [], points: 0 };
    // The same member, source and sourceId twice in one batch: the first one counts.
    const seen = new Set<string>();
    const items: EarnBatchItemDto[] = [];
    for (const item of batch.items) {
      const key = bulkCreditKeyOf(item.memberId, item.source, item.sourceId);
      if (seen.has(key)) result.duplicates += 1;
      else items.push(item);
      seen.add(key);
    }
    // Stable: a member's items keep their order, so their balances read as the batch lists them.
    items.sort((a, b) => compareIds(a.memberId, b.memberId));
    const at = this.clock.now();
    const unknown = new Set<string>();
    for (let start = 0; start < items.length; start += CHUNK_ITEMS) {
      const outcome = await this.creditChunk(items.slice(start, start + CHUNK_ITEMS), at);
      result.credited += outcome.credited;
      result.duplicates += outcome.duplicates;
      result.points += outcome.points;
      for (const memberId of outcome.unknownMembers) unknown.add(memberId);
    }
    result.unknownMembers = [...unknown];
    return result;
  }

  private async creditChunk(items: EarnBatchItemDto[], at: Date): Promise<BulkCreditOutcome> {
    // Admin bulk credits keep their own key space: they never take a key a platform event needs.
    const credits = items.map((item) => ({ ...item, kind: `batch:${item.source}` }));
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.ledger.transact((manager) =>
          this.bulkCredits.credit(manager, credits, at),
        );
      } catch (error) {
        // Another writer claimed one of these keys after this chunk looked: look again.
        if (!isDuplicateKeyError(error) || attempt === CHUNK_ATTEMPTS) throw error;
      }
    }
  }
}

/** Orders decimal id strings numerically. */
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}
