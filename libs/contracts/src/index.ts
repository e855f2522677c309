export * from './common';
export * from './events';
export * from './member';
export * from './point';
export * from './benefit';
export * from './campaign';
export * from './audit';
