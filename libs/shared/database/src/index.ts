export * from './base.entity';
export * from './bigint.transformer';
export * from './data-source-options';
export * from './mysql-errors';
export * from './with-transaction';
export * from './cursor-page';
export * from './json-column';
export * from './statements';
