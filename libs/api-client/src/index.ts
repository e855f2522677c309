export * from './api-error';
export * from './transport';
export * from './generated';
