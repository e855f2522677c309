import { Inject } from '@nestjs/common';
import { CommandHandler } from '@nestjs/cqrs';
import type { ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { withTransaction } from '@member-system/shared/database';
import { MemberPii } from '../../../members/member-pii';
import { ReEncryptPiiCommand } from './re-encrypt-pii.command';
import type { ReEncryptionReport } from './re-encrypt-pii.command';

/** The encrypted columns of `member`; each ciphertext names its key (`keyId:iv:tag:data`). */
const CIPHERTEXT_COLUMNS = [
  'phone_ciphertext',
  'email_ciphertext',
  'birthday_ciphertext',
  'real_name_ciphertext',
] as const;
type CiphertextColumn = (typeof CIPHERTEXT_COLUMNS)[number];
type CiphertextRow = { id: string } & Record<CiphertextColumn, string | null>;

const UNDER_OLD_KEY = CIPHERTEXT_COLUMNS.map(
  (column) => `(${column} IS NOT NULL AND SUBSTRING_INDEX(${column}, ':', 1) <> ?)`,
).join(' OR ');

/**
 * Key rotation, second half: after a new active key is deployed (old keys still in the ring),
 * rewrites every ciphertext under an old key with the active one, batch by batch, each row
 * locked while it is rewritten. Once it reports nothing left, the old key can leave the ring.
 * Blind indexes have their own key and do not change. Safe to rerun and to interrupt.
 */
@CommandHandler(ReEncryptPiiCommand)
export class ReEncryptPiiHandler implements ICommandHandler<ReEncryptPiiCommand> {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MemberPii) private readonly pii: MemberPii,
  ) {}

  async execute({ batchSize }: ReEncryptPiiCommand): Promise<ReEncryptionReport> {
    const report: ReEncryptionReport = { activeKeyId: this.pii.activeKeyId, rows: 0, values: 0 };
    const keyIds = CIPHERTEXT_COLUMNS.map(() => this.pii.activeKeyId);
    let afterId = '0';
    for (;;) {
      const batch = await this.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM member WHERE id > ? AND (${UNDER_OLD_KEY}) ORDER BY id LIMIT ?`,
        [afterId, ...keyIds, batchSize],
      );
      const last = batch[batch.length - 1];
      if (last === undefined) return report;
      await withTransaction(this.dataSource, async (manager) => {
        const rows = await manager.query<CiphertextRow[]>(
          `SELECT id, ${CIPHERTEXT_COLUMNS.join(', ')} FROM member WHERE id IN (?) FOR UPDATE`,
          [batch.map((row) => row.id)],
        );
        for (const row of rows) {
          const rewritten = CIPHERTEXT_COLUMNS.flatMap((column) => {
            const ciphertext = row[column];
            const fresh = ciphertext === null ? null : this.pii.reEncrypt(ciphertext);
            return fresh === null ? [] : [[column, fresh] as const];
          });
          if (rewritten.length === 0) continue;
          // Not a profile change: updated_at keeps its value.
          await manager.query(
            `UPDATE member SET ${rewritten.map(([column]) => `${column} = ?`).join(', ')},
                    updated_at = updated_at
              WHERE id = ?`,
            [...rewritten.map(([, value]) => value), row.id],
          );
          report.rows += 1;
          report.values += rewritten.length;
        }
      });
      afterId = last.id;
    }
  }
}
