import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import type { Actor, FreezePointsDto, FreezeResult } from '@member-system/contracts';
import { AppException } from '@member-system/shared/errors';
import { Clock } from '@member-system/shared/service';
import { AccountDirectory } from '../../account-directory';
import { adminRequestKey } from '../../admin-request-key';
import type { Subject } from '@member-system/shared/service';
import { Freezes } from '../../freezes';
import type { OpenFreeze } from '../../freezes';
import { Ledger } from '../../ledger';
import type { LockedAccount } from '../../ledger';

const FREEZE = 'freeze:admin';
const UNFREEZE = 'unfreeze:admin';

/**
 * An admin freezing a member's points (a dispute, suspected fraud) and releasing them again. Admin
 * freezes have no end date: they last until an admin releases them. Release draws on the member's
 * admin freezes oldest first; refund freezes settle only through their refund or their period.
 * Each request counts once per Idempotency-Key (or correlation id): a retry answers the same.
 */
@Injectable()
export class AdminFreezesHandler {
  constructor(
    private readonly accounts: AccountDirectory,
    private readonly ledger: Ledger,
    private readonly freezes: Freezes,
    private readonly clock: Clock,
  ) {}

  freeze(subject: Subject, request: FreezePointsDto, admin: Actor, key: string) {
    return this.once(
      subject,
      FREEZE,
      adminRequestKey(admin, key),
      request,
      async (manager, locked) => {
        const allocations = await this.ledger.takeFromLots(
          manager,
          locked,
          request.points,
          this.clock.now(),
        );
        const freezeId = await this.freezes.open(manager, locked, allocations, {
          reason: request.reason,
        });
        return {
          points: request.points,
          freezeIds: [freezeId],
          balanceAfter: locked.available - request.points,
          frozenAfter: locked.frozen + request.points,
        };
      },
    );
  }

  unfreeze(subject: Subject, request: FreezePointsDto, admin: Actor, key: string) {
    return this.once(
      subject,
      UNFREEZE,
      adminRequestKey(admin, key),
      request,
      async (manager, locked) => {
        const open = await manager.query<OpenFreeze[]>(
          `SELECT id, points, order_id, refund_id FROM point_freeze
          WHERE member_id = ? AND status = 'frozen' AND refund_id IS NULL ORDER BY id FOR UPDATE`,
          [locked.memberId],
        );
        const adminFrozen = open.reduce((sum, freeze) => sum + Number(freeze.points), 0);
        if (adminFrozen < request.points) {
          throw new AppException(
            ErrorCode.FrozenPointsInsufficient,
            'Fewer points are frozen by admins than asked to release',
            { adminFrozen, requested: request.points },
          );
        }
        let left = request.points;
        let balance: LockedAccount = locked;
        const freezeIds: string[] = [];
        for (const freeze of open) {
          if (left === 0) break;
          const points = Math.min(left, Number(freeze.points));
          balance = await this.freezes.release(manager, balance, freeze, points, request.reason);
          freezeIds.push(String(freeze.id));
          left -= points;
        }
        return {
          points: request.points,
          freezeIds,
          balanceAfter: balance.available,
          frozenAfter: locked.frozen - request.points,
        };
      },
    );
  }

  /** Runs `work` once for its key; a repeat with the same points answers what the first did. */
  private once(
    subject: Subject,
    kind: string,
    key: string,
    request: FreezePointsDto,
    work: (manager: EntityManager, locked: LockedAccount) => Promise<FreezeResult>,
  ): Promise<FreezeResult> {
    return this.ledger.transact(async (manager) => {
      const locked = await this.ledger.lock(manager, await this.accounts.of(manager, subject));
      if (!(await this.ledger.claim(manager, kind, key, locked.memberId))) {
        const first = await this.ledger.keptResult<FreezeResult>(
          manager,
          locked.memberId,
          kind,
          key,
        );
        if (first?.points !== request.points) {
          throw new AppException(
            ErrorCode.IdempotencyKeyReused,
            'This Idempotency-Key was used for another request',
          );
        }
        return first;
      }
      const result = await work(manager, locked);
      await this.ledger.keepResult(manager, locked.memberId, kind, key, result);
      return result;
    });
  }
}
