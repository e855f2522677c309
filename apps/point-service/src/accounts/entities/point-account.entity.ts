import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '@member-system/shared/database';

const points = { type: 'bigint' as const, transformer: bigintTransformer };

/** A member's balances. Changed only by guarded single statements, never read-modify-write. */
@Entity({ name: 'point_account' })
export class PointAccount {
  @PrimaryColumn({ name: 'member_id', type: 'bigint', unsigned: true })
  memberId!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column(points) available!: number;
  @Column(points) frozen!: number;
  @Column(points) pending!: number;
  @Column(points) held!: number;
  @Column(points) debt!: number;
  @Column({ ...points, name: 'lifetime_earned' }) lifetimeEarned!: number;
  @Column({ ...points, name: 'lifetime_used' }) lifetimeUsed!: number;
  @Column({ ...points, name: 'lifetime_expired' }) lifetimeExpired!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
