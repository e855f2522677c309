import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** The level a member holds, as last announced by member-service (never older versions). */
@Entity({ name: 'member_level' })
export class MemberLevel {
  @PrimaryColumn({ name: 'member_id', type: 'bigint', unsigned: true })
  memberId!: string;

  @Column({ name: 'user_id', type: 'bigint', unsigned: true })
  userId!: string;

  @Column({ name: 'level_id', type: 'int', unsigned: true })
  levelId!: number;

  @Column({ type: 'int', unsigned: true })
  version!: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
