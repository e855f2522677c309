import 'reflect-metadata';
import { createLogger } from '@member-system/shared/observability';
import { migrateDatabase } from '@member-system/shared/service';
import { loadGatewayConfig } from './config/gateway.config';
import { gatewayDatabase } from './database/data-source';

async function migrate(): Promise<void> {
  const config = loadGatewayConfig();
  const logger = createLogger('gateway', config.LOG_LEVEL);
  await migrateDatabase(config, gatewayDatabase, logger);
}

migrate().catch((error: unknown) => {
  // Plainly, without a stack: most failures here are settings or an unreachable MySQL.
  console.error(
    `gateway migration failed: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(1);
});
