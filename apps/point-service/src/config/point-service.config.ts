import { BaseServiceConfig, loadConfig } from '@member-system/shared/config';

export class PointServiceConfig extends BaseServiceConfig {
  override HTTP_PORT = 3002;
  override MYSQL_DATABASE = 'ms_point';
  override REDIS_PREFIX = 'ms:point:';
}

export function loadPointServiceConfig(): PointServiceConfig {
  return loadConfig(PointServiceConfig);
}
