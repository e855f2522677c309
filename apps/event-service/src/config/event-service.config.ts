import { BaseServiceConfig, loadConfig } from '@member-system/shared/config';

export class EventServiceConfig extends BaseServiceConfig {
  override HTTP_PORT = 3004;
  override MYSQL_DATABASE = 'ms_event';
  override REDIS_PREFIX = 'ms:event:';
}

export function loadEventServiceConfig(): EventServiceConfig {
  return loadConfig(EventServiceConfig);
}
