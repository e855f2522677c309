export * from './actor';
export * from './envelope';
export * from './error-codes';
export * from './rpc';
export * from './money';
export * from './jobs';
export * from './read-only';
export * from './page';
