import { IsIn, IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { BaseServiceConfig, loadConfig } from '@member-system/shared/config';
import { DOWNGRADE_POLICIES } from '../levels/level-policy';
import type { DowngradePolicy } from '../levels/level-policy';
import { LEVEL_RULE_NAMES } from '../levels/rules/level-rules';

/** Development-only keys: production values must set their own (checked at boot). */
const DEV_PII_KEYS = 'dev1:bWVtYmVyLXN5c3RlbS1kZXYtcGlpLWtleS0zMmJ5dGU=';
const DEV_BLIND_INDEX_KEY = 'bWVtYmVyLXN5c3RlbS1kZXYtYmxpbmQtaW5kZXgta2V5';

export class MemberServiceConfig extends BaseServiceConfig {
  override HTTP_PORT = 3001;
  override MYSQL_DATABASE = 'ms_member';
  override REDIS_PREFIX = 'ms:member:';

  /** AES-256 keys as `id:base64,id:base64`; old ids stay to read old ciphertexts. */
  @IsString()
  PII_KEYS = DEV_PII_KEYS;

  @IsString()
  @MinLength(1)
  PII_ACTIVE_KEY_ID = 'dev1';

  @IsString()
  @MinLength(16)
  PII_BLIND_INDEX_KEY = DEV_BLIND_INDEX_KEY;

  /** What happens when spend falls below the level's threshold (refunds, or a rolling rule). */
  @IsIn(DOWNGRADE_POLICIES)
  LEVEL_DOWNGRADE_POLICY: DowngradePolicy = 'never';

  /** Profiles of the most recently active members loaded into the cache at start-up (0: none). */
  @IsInt()
  @Min(0)
  @Max(100_000)
  MEMBER_CACHE_WARM_COUNT: number = 1000;

  /** Which spend counts towards levels: one of LEVEL_RULES. */
  @IsIn(LEVEL_RULE_NAMES)
  LEVEL_RULE: string = 'lifetime-spend';
}

export function loadMemberServiceConfig(): MemberServiceConfig {
  const config = loadConfig(MemberServiceConfig);
  if (
    config.NODE_ENV === 'production' &&
    (config.PII_KEYS === DEV_PII_KEYS || config.PII_BLIND_INDEX_KEY === DEV_BLIND_INDEX_KEY)
  ) {
    throw new Error(
      'Invalid configuration: PII_KEYS and PII_BLIND_INDEX_KEY must be set in production',
    );
  }
  return config;
}
