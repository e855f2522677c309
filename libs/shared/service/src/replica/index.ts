export * from './replica';
export * from './replica-metrics';
export * from './replica-status';
