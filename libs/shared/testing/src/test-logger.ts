import pino from 'pino';
import type { Logger } from 'pino';

/** Quiet unless TEST_LOG_LEVEL asks otherwise (e.g. TEST_LOG_LEVEL=debug npm run test:integration). */
export function testLogger(): Logger {
  return pino({ level: process.env['TEST_LOG_LEVEL'] ?? 'silent' });
}
