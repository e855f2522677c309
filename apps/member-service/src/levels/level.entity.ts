import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import { bigintTransformer } from '@member-system/shared/database';

/** A rung of the ladder: members whose qualifying spend reaches the threshold hold the level. */
@Entity({ name: 'level' })
export class Level {
  @PrimaryColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({
    name: 'min_total_spent_cents',
    type: 'bigint',
    unsigned: true,
    transformer: bigintTransformer,
  })
  minTotalSpentCents!: number;

  @CreateDateColumn({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
