export * from './business-time';
export * from './job';
export * from './job-metrics';
export * from './job-registry';
export * from './job-scheduler';
export * from './job-tables.migration';
export * from './jobs.rpc-controller';
