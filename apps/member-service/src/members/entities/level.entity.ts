import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintTransformer } from '@member-system/shared/database';

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
}
