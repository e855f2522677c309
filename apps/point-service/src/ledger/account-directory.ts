import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { ErrorCode } from '@member-system/contracts';
import { LruCache } from '@member-system/shared/cache';
import { AppException } from '@member-system/shared/errors';
import { MemberOwner } from '@member-system/shared/service';
import type { ReadDatabase, Subject } from '@member-system/shared/service';
import { Ledger } from './core/ledger';
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
 *
 * A write path (`of`) that finds no account asks member-service: a member who registered a moment
 * ago may call before `member.registered.v1` got here. Their account is then opened as that event
 * opens it (INSERT IGNORE), so the event arriving later finds it open and changes nothing. A
 * query that finds no account does the same on the primary, so a member who exists is never
 * answered 404.
 */
@Injectable()
export class AccountDirectory {
  private readonly known = new LruCache<AccountRef>({
    maxEntries: REMEMBERED_ACCOUNTS,
    ttlMs: REMEMBER_MS,
  });

  constructor(
    private readonly owner: MemberOwner,
    private readonly ledger: Ledger,
    private readonly primary: DataSource,
  ) {}

  /**
   * For a write: an account absent here is asked of member-service and opened. 404 only when
   * member-service says there is no such member (an event handler then retries later); 503 when
   * it cannot be asked.
   */
  async of(manager: EntityManager, subject: Subject): Promise<AccountRef> {
    return this.remembered(subject) ?? this.readAndRemember(manager, subject);
  }

  /**
   * The same for a query: only an account not remembered opens a read (on the replica when one is
   * configured), so a remembered one costs no session and no wait for the replica. An account
   * that read does not find is looked for as a write path does (the primary, then member-service,
   * opening it for a member who registered a moment ago): 404 only for no member at all.
   */
  async forQuery(reads: ReadDatabase, subject: Subject): Promise<AccountRef> {
    const remembered = this.remembered(subject);
    if (remembered) return remembered;
    const account = await reads.read((manager) => this.read(manager, subject));
    if (!account) return this.of(this.primary.manager, subject);
    this.remember(account);
    return account;
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

  /** The account read, or opened for a member member-service knows; none is a 404. */
  private async readAndRemember(manager: EntityManager, subject: Subject): Promise<AccountRef> {
    const account =
      (await this.read(manager, subject)) ?? (await this.openAnnounced(manager, subject));
    if (!account) {
      throw new AppException(
        ErrorCode.PointAccountNotFound,
        'No points account: register as a member first',
        { ...subject },
      );
    }
    this.remember(account);
    return account;
  }

  /** Opens the account of a member member-service knows, as `member.registered.v1` would. */
  private async openAnnounced(
    manager: EntityManager,
    subject: Subject,
  ): Promise<AccountRef | undefined> {
    const member = await this.owner.find(subject);
    if (!member) return undefined;
    const account = { memberId: member.memberId, userId: member.userId };
    await this.ledger.openAccount(manager, account);
    return account;
  }

  private async read(manager: EntityManager, subject: Subject): Promise<AccountRef | undefined> {
    const [column, value] =
      'userId' in subject ? ['user_id', subject.userId] : ['member_id', subject.memberId];
    const [row] = await manager.query<Array<{ member_id: string; user_id: string }>>(
      `SELECT member_id, user_id FROM point_account WHERE ${column} = ?`,
      [value],
    );
    return row && { memberId: String(row.member_id), userId: String(row.user_id) };
  }
}
