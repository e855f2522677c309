export * from './database-connection';
export * from './migrate-service';
export * from './run-service';
export * from './service-definition';
export * from './service-infra.module';
export * from './tokens';
export * from './clock';
export * from './jobs';
