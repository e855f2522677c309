export * from './cache-metrics';
export * from './cache-namespace';
export * from './lru-cache';
export * from './redis';
export { RedisTimeoutError } from './redis-level';
export * from './single-flight';
export * from './two-level-cache';
export * from './redis-circuit';
