import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { Clock } from '@member-system/shared/service';
import { Grants } from '../../grants';
import { HoldingsCache } from '../../holdings-cache';
import { Quotas } from '../../quotas';
import { CancelOrderUsesCommand } from './cancel-order-uses.command';

/** The columns of a `benefit_usage` row a cancellation needs. */
interface UsedRow {
  id: string;
  benefit_id: string;
  member_id: string;
  quota_period: string | null;
  grant_id: string | null;
}

/**
 * Takes back every use of a cancelled order, once, and gives back their grants and quota;
 * remembers the cancellation, so a later use of the order is refused.
 */
@CommandHandler(CancelOrderUsesCommand)
export class CancelOrderUsesHandler implements ICommandHandler<CancelOrderUsesCommand> {
  constructor(
    private readonly holdings: HoldingsCache,
    private readonly quotas: Quotas,
    private readonly grants: Grants,
    private readonly clock: Clock,
  ) {}

  async execute({ manager, afterCommit, orderId }: CancelOrderUsesCommand): Promise<void> {
    // The members' cached holdings are dropped once the event's transaction commits.
    this.holdings.trackEvent(manager, afterCommit);
    await manager.query(
      'INSERT INTO benefit_order (order_id, cancelled) VALUES (?, 1) ON DUPLICATE KEY UPDATE cancelled = 1',
      [orderId],
    );
    const uses = await manager.query<UsedRow[]>(
      "SELECT * FROM benefit_usage WHERE order_id = ? AND status = 'used' FOR UPDATE",
      [orderId],
    );
    for (const usage of uses) {
      await manager.query(
        "UPDATE benefit_usage SET status = 'cancelled', cancelled_at = ? WHERE id = ?",
        [this.clock.now(), usage.id],
      );
      if (usage.grant_id) {
        await this.grants.giveBack(manager, String(usage.member_id), String(usage.grant_id));
      }
      if (usage.quota_period) {
        await this.quotas.giveBack(
          manager,
          String(usage.member_id),
          String(usage.benefit_id),
          usage.quota_period,
        );
      }
    }
  }
}
