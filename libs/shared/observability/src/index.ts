export * from './health';
export * from './logger';
export * from './metrics';
export * from './nest/observability.controller';
export * from './request-context';
