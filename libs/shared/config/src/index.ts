export * from './config/base-service.config';
export * from './config/load-config';
export * from './config/amqp-urls';
