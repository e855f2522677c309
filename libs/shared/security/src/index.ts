export * from './jwt';
export * from './pii-cipher';
export * from './nest/access.decorators';
