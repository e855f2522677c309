import 'reflect-metadata';
import { createLogger } from '@member-system/shared/observability';
import { migrateDatabase } from '@member-system/shared/service';
import { loadGatewayConfig } from './config/gateway.config';
import { gatewayDatabase } from './database/data-source';

const config = loadGatewayConfig();
const logger = createLogger('gateway', config.LOG_LEVEL);
migrateDatabase(config, gatewayDatabase, logger).catch((error: unknown) => {
  logger.fatal({ err: error }, 'gateway migration failed');
  process.exit(1);
});
