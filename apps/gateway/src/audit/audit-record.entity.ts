import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { AuditOutcome } from './audit-chain';

/** One audited action. Never updated nor deleted: each row's hash covers the one before it. */
@Entity({ name: 'audit_record' })
export class AuditRecord {
  @PrimaryGeneratedColumn({ type: 'bigint', unsigned: true })
  id!: string;

  @Column({ name: 'occurred_at', type: 'datetime', precision: 3 })
  occurredAt!: Date;

  @Column({ name: 'operator_user_id', type: 'bigint', unsigned: true })
  operatorUserId!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ name: 'target_member_id', type: 'bigint', unsigned: true, nullable: true })
  targetMemberId!: string | null;

  @Column({ name: 'before_json', type: 'mediumtext', nullable: true })
  beforeJson!: string | null;

  @Column({ name: 'after_json', type: 'mediumtext', nullable: true })
  afterJson!: string | null;

  @Column({ type: 'varchar', length: 45, nullable: true })
  ip!: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 256, nullable: true })
  userAgent!: string | null;

  @Column({ name: 'correlation_id', type: 'varchar', length: 128 })
  correlationId!: string;

  @Column({ type: 'varchar', length: 16 })
  outcome!: AuditOutcome;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}
