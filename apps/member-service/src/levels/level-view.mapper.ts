import { formatCents } from '@member-system/contracts';
import type { LevelView } from '@member-system/contracts';
import type { Level } from './level.entity';

export function toLevelView(level: Pick<Level, 'id' | 'name' | 'minTotalSpentCents'>): LevelView {
  return { id: level.id, name: level.name, minTotalSpent: formatCents(level.minTotalSpentCents) };
}
