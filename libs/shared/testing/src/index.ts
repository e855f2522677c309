export * from './app-process';
export * from './rabbitmq-vhost';
export * from './test-logger';
export * from './test-run';
export * from './wait-for';
export * from './integration-env';
