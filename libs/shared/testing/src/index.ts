export * from './app-process';
export * from './rabbitmq-vhost';
export * from './test-logger';
export * from './test-run';
export * from './wait-for';
export * from './integration-env';
export * from './service-context';
export * from './events';
