import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import { LruCache } from '@member-system/shared/cache';
import { AppException } from '@member-system/shared/errors';
import type { ReadDatabase, Subject } from '@member-system/shared/service';
import type { AccountRef } from './core/ledger';

/** Accounts whose ids this instance remembers; about 100 bytes each. */
const REMEMBERED_ACCOUNTS = 200_000;
/** Long: a pair of ids never changes, the bound only keeps a forgotten member from staying forever. */
const REMEMBER_MS = 24 * 3_600_000;

/**
 * Finds the account of a platform user or member. A user id and member id belong together for
 * good once the account is open (erasure keeps the ledger), so each instance remembers the pairs
 * it has read: every call of a member (a balance read above all) would otherwise start with a
 * MySQL round trip. An absent account is never remembered: member-service may announce it next.
 */
@Injectable()
export class AccountDirectory {
  private readonly known = new LruCache<AccountRef>({
    maxEntries: REMEMBERED_ACCOUNTS,
    ttlMs: REMEMBER_MS,
  });

  /**
   * Absent means member-service has not announced the member yet: an event handler's failure then
   * retries later; an API caller gets 404.
   */
  async of(manager: EntityManager, subject: Subject): Promise<AccountRef> {
    return this.remembered(subject) ?? this.readAndRemember(manager, subject);
  }

  /**
   * The same for a query: only an account not remembered opens a read (on the replica when one is
   * configured), so a remembered one costs no session and no wait for the replica.
   */
  async forQuery(reads: ReadDatabase, subject: Subject): Promise<AccountRef> {
    return (
      this.remembered(subject) ?? reads.read((manager) => this.readAndRemember(manager, subject))
    );
  }

  /** A pair known to belong together (read, or announced by member-service). */
  remember(account: AccountRef): void {
    this.known.set(`u${account.userId}`, account);
    this.known.set(`m${account.memberId}`, account);
  }

  ofUser(manager: EntityManager, userId: string): Promise<AccountRef> {
    return this.of(manager, { userId });
  }

  private remembered(subject: Subject): AccountRef | undefined {
    return this.known.get('userId' in subject ? `u${subject.userId}` : `m${subject.memberId}`);
  }

  private async readAndRemember(manager: EntityManager, subject: Subject): Promise<AccountRef> {
    const account = await this.read(manager, subject);
    this.remember(account);
    return account;
  }

  private async read(manager: EntityManager, subject: Subject): Promise<AccountRef> {
    const [column, value] =
      'userId' in subject ? ['user_id', subject.userId] : ['member_id', subject.memberId];
    const [row] = await manager.query<Array<{ member_id: string; user_id: string }>>(
      `SELECT member_id, user_id FROM point_account WHERE ${column} = ?`,
      [value],
    );
    if (!row) {
      throw new AppException(
        ErrorCode.PointAccountNotFound,
        'No points account: register as a member first',
        { ...subject },
      );
    }
    return { memberId: String(row.member_id), userId: String(row.user_id) };
  }
}
