import { Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import type { Relation } from 'typeorm';
import { BaseEntity, bigintTransformer } from '@member-system/shared/database';
import type { Gender } from '@member-system/contracts';
import { Level } from '../../levels/level.entity';

/** A member. Phone, email and birthday are stored only as ciphertexts (and blind indexes). */
@Entity({ name: 'member' })
export class Member extends BaseEntity {
  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ type: 'varchar', length: 64, nullable: true })
  nickname!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  gender!: Gender | null;

  @Column({ name: 'avatar_url', type: 'varchar', length: 512, nullable: true })
  avatarUrl!: string | null;

  @Column({ name: 'phone_ciphertext', type: 'varchar', length: 255, nullable: true })
  phoneCiphertext!: string | null;

  @Column({ name: 'email_ciphertext', type: 'varchar', length: 600, nullable: true })
  emailCiphertext!: string | null;

  @Column({ name: 'birthday_ciphertext', type: 'varchar', length: 255, nullable: true })
  birthdayCiphertext!: string | null;

  @Column({ name: 'real_name_ciphertext', type: 'varchar', length: 255, nullable: true })
  realNameCiphertext!: string | null;

  @Column({ name: 'level_id', type: 'int', unsigned: true })
  levelId!: number;

  /** A level set by an admin: automatic calculation never goes below it. */
  @Column({ name: 'manual_level_id', type: 'int', unsigned: true, nullable: true })
  manualLevelId!: number | null;

  /** Bumped by every level change; consumers of member.level-changed.v1 ignore older versions. */
  @Column({ name: 'level_version', type: 'int', unsigned: true })
  levelVersion!: number;

  @ManyToOne(() => Level, { eager: true })
  @JoinColumn({ name: 'level_id' })
  level!: Relation<Level>;

  @Column({
    name: 'total_spent_cents',
    type: 'bigint',
    unsigned: true,
    transformer: bigintTransformer,
  })
  totalSpentCents!: number;

  /** HMAC of the normalised phone, for exact lookup; null with the phone. */
  @Column({ name: 'phone_blind_index', type: 'char', length: 64, nullable: true })
  phoneBlindIndex!: string | null;

  @Column({ name: 'email_blind_index', type: 'char', length: 64, nullable: true })
  emailBlindIndex!: string | null;

  /** `MM-DD` of the birthday, in clear for the daily birthday job (the year stays encrypted). */
  @Column({ name: 'birthday_month_day', type: 'char', length: 5, nullable: true })
  birthdayMonthDay!: string | null;

  /** Set once the member's PII was destroyed; the row and its ledger stay. */
  @Column({ name: 'erased_at', type: 'datetime', precision: 3, nullable: true })
  erasedAt!: Date | null;
}
