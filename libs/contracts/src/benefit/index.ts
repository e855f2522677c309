export * from './benefit.dto';
export * from './benefit.rpc';
