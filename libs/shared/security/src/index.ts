export * from './jwt';
export { RESERVED_CLAIMS } from './token-identity';
export type { JwksSettings } from './jwks';
export * from './pii-cipher';
export * from './nest/access.decorators';
