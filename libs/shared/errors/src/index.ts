export * from './app.exception';
export * from './validation';
