export * from './admin-job';
export * from './admin-job-registry';
export * from './admin-job-tables.migration';
export * from './admin-jobs';
export * from './admin-jobs.module';
