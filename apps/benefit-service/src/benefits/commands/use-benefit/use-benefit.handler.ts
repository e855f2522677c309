import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { ErrorCode, formatCents, parseMoney } from '@member-system/contracts';
import type { BenefitUsageView, UseBenefitDto } from '@member-system/contracts';
import { isDuplicateKeyError } from '@member-system/shared/database';
import { AppException } from '@member-system/shared/errors';
import { OutboxWriter } from '@member-system/shared/messaging';
import { Clock } from '@member-system/shared/service';
import { MemberLevels } from '../../../member-levels/member-levels';
import type { MemberAtLevel } from '../../../member-levels/member-levels';
import { BenefitCatalog } from '../../benefit-catalog';
import { BenefitEngine, throughGrant } from '../../benefit-engine';
import { Grants } from '../../grants';
import { HoldingsCache } from '../../holdings-cache';
import type { BenefitDefinition } from '../../plugins/benefit-plugin';
import { Quotas } from '../../quotas';
import { UseBenefitCommand } from './use-benefit.command';

interface UsageRow {
  id: string;
  benefit_id: string;
  member_id: string;
  order_id: string;
  amount_cents: string;
  quota_period: string | null;
  grant_id: string | null;
  status: 'used' | 'cancelled';
  used_at: Date;
}

/**
 * `POST /benefits/use`: records a benefit used on an order, once per order and benefit (a repeat
 * answers the first use), within the benefit's monthly quota however many uses run at once.
 * A use of an order already cancelled (`order.cancelled.v1`), a repeat included, is refused with
 * ORDER_CANCELLED.
 */
@CommandHandler(UseBenefitCommand)
export class UseBenefitHandler implements ICommandHandler<UseBenefitCommand> {
  constructor(
    private readonly holdings: HoldingsCache,
    private readonly levels: MemberLevels,
    private readonly catalog: BenefitCatalog,
    private readonly engine: BenefitEngine,
    private readonly quotas: Quotas,
    private readonly grants: Grants,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  async execute({ subject, use }: UseBenefitCommand): Promise<BenefitUsageView> {
    const member = await this.levels.of(subject);
    const benefit = await this.catalog.byId(use.benefitId);
    if (!benefit) {
      throw new AppException(ErrorCode.BenefitNotFound, 'No such benefit', {
        benefitId: use.benefitId,
      });
    }
    try {
      return await this.holdings.transact((manager) => this.useIn(manager, member, benefit, use));
    } catch (error) {
      // The same order and benefit used at the same moment: the other one won; answer with it.
      if (!isDuplicateKeyError(error)) throw error;
      return this.holdings.transact((manager) => this.useIn(manager, member, benefit, use));
    }
  }

  private async useIn(
    manager: EntityManager,
    member: MemberAtLevel,
    benefit: BenefitDefinition,
    use: UseBenefitDto,
  ): Promise<BenefitUsageView> {
    // Uses and the cancellation of one order take turns on the order's row: a use never slips
    // in beside a cancellation that could not see it.
    await manager.query(
      'INSERT INTO benefit_order (order_id) VALUES (?) ON DUPLICATE KEY UPDATE order_id = order_id',
      [use.orderId],
    );
    const [order] = await manager.query<Array<{ cancelled: number }>>(
      'SELECT cancelled FROM benefit_order WHERE order_id = ?',
      [use.orderId],
    );
    const [existing] = await manager.query<UsageRow[]>(
      'SELECT * FROM benefit_usage WHERE order_id = ? AND benefit_id = ?',
      [use.orderId, benefit.id],
    );
    if (existing && String(existing.member_id) !== member.memberId) {
      throw new AppException(
        ErrorCode.OrderOwnedByAnotherMember,
        'Another member already used a benefit on this order',
        { orderId: use.orderId },
      );
    }
    // A cancelled order is refused, a repeat of a use made before the cancellation included.
    if (Number(order?.cancelled) === 1) {
      throw new AppException(ErrorCode.OrderCancelled, `Order ${use.orderId} was cancelled`, {
        orderId: use.orderId,
      });
    }
    if (existing) return viewOf(existing, benefit);
    const now = this.clock.now();
    const period = this.quotas.periodOf(now);
    const context = {
      memberId: member.memberId,
      levelId: member.levelId,
      orderAmountCents: parseMoney(use.orderAmount),
      shippingFeeCents: parseMoney(use.shippingFee ?? '0.00'),
      now,
    };
    const granted = await this.grants.availableTo(manager, member.memberId);
    // Quota aside: it is counted below, under the counter's lock.
    const applicability = this.engine.applicability(benefit, { ...context, granted }, 0);
    if (!applicability.applicable) {
      throw new AppException(ErrorCode.BenefitNotEligible, 'The benefit does not apply', {
        reason: applicability.reason,
        ...applicability.details,
      });
    }
    // Through a grant (not the member's level): the grant is the use, the quota does not count.
    let grantId: string | undefined;
    if (throughGrant(benefit, { ...context, granted })) {
      grantId = await this.grants.take(manager, member.memberId, benefit.id);
      if (grantId === undefined) {
        // Another order took the last grant since it was read.
        throw new AppException(ErrorCode.BenefitNotEligible, 'The benefit does not apply', {
          reason: benefit.levelId > member.levelId ? 'LEVEL_TOO_LOW' : 'OTHER_LEVEL',
        });
      }
    }
    const quotaPeriod = grantId === undefined && benefit.monthlyQuota !== null ? period : null;
    if (quotaPeriod !== null && benefit.monthlyQuota !== null) {
      const used = await this.quotas.take(manager, member.memberId, benefit.id, period);
      if (used > benefit.monthlyQuota) {
        throw new AppException(ErrorCode.BenefitQuotaExceeded, 'The monthly quota is used up', {
          monthlyQuota: benefit.monthlyQuota,
          period,
        });
      }
    }
    const effect = this.engine.effectOf(benefit, context);
    const amountCents = effect.freeShipping
      ? context.shippingFeeCents
      : Math.min(effect.discountCents ?? 0, context.orderAmountCents);
    const inserted = await manager.query<{ insertId: number }>(
      `INSERT INTO benefit_usage
         (benefit_id, member_id, order_id, level_id, order_amount_cents, amount_cents, quota_period, grant_id, status, used_on, used_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'used', ?, ?)`,
      [
        benefit.id,
        member.memberId,
        use.orderId,
        member.levelId,
        context.orderAmountCents,
        amountCents,
        quotaPeriod,
        grantId ?? null,
        this.quotas.dateOf(now),
        now,
      ],
    );
    const usageId = String(inserted.insertId);
    await this.outbox.add(manager, 'benefit.used.v1', {
      usageId,
      benefitId: benefit.id,
      memberId: member.memberId,
      userId: member.userId,
      orderId: use.orderId,
      levelId: member.levelId,
      orderAmount: formatCents(context.orderAmountCents),
      discountAmount: formatCents(effect.discountCents ? amountCents : 0),
    });
    return {
      usageId,
      benefitId: benefit.id,
      type: benefit.type,
      orderId: use.orderId,
      amount: formatCents(amountCents),
      status: 'used',
      usedAt: now.toISOString(),
    };
  }
}

function viewOf(row: UsageRow, benefit: BenefitDefinition): BenefitUsageView {
  return {
    usageId: String(row.id),
    benefitId: String(row.benefit_id),
    type: benefit.type,
    orderId: String(row.order_id),
    amount: formatCents(Number(row.amount_cents)),
    status: row.status,
    usedAt: row.used_at.toISOString(),
  };
}
