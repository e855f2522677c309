import Redis from 'ioredis';
import { testInfra } from './test-run';

/** Removes every key under a test run's prefix (SCAN, never KEYS, so a shared Redis is not blocked). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis({ ...testInfra.redis, lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
