import { IsInt, Matches, Max, Min } from 'class-validator';
import { BaseServiceConfig, loadConfig } from '@member-system/shared/config';

export class EventServiceConfig extends BaseServiceConfig {
  override HTTP_PORT = 3004;
  override MYSQL_DATABASE = 'ms_event';
  override REDIS_PREFIX = 'ms:event:';

  /** Participations rewarded per transaction by `distribute-rewards`. */
  @IsInt()
  @Min(1)
  @Max(5000)
  REWARD_BATCH_SIZE: number = 500;

  /** A pause between reward batches, to spread a large distribution's load. */
  @IsInt()
  @Min(0)
  @Max(60_000)
  REWARD_BATCH_PAUSE_MS: number = 0;

  /** Levels whose members hold the EXCLUSIVE_EVENT benefit (docs/api/contract.md defaults: Gold and up). */
  @Matches(/^\s*\d+(\s*,\s*\d+)*\s*$/, { message: 'EXCLUSIVE_EVENT_LEVELS must read like 3,4,5' })
  EXCLUSIVE_EVENT_LEVELS: string = '3,4,5';
}

export function loadEventServiceConfig(): EventServiceConfig {
  return loadConfig(EventServiceConfig);
}
