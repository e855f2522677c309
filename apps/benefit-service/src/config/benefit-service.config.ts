import { BaseServiceConfig, loadConfig } from '@member-system/shared/config';

export class BenefitServiceConfig extends BaseServiceConfig {
  override HTTP_PORT = 3003;
  override MYSQL_DATABASE = 'ms_benefit';
  override REDIS_PREFIX = 'ms:benefit:';
}

export function loadBenefitServiceConfig(): BenefitServiceConfig {
  return loadConfig(BenefitServiceConfig);
}
