export * from './balance.view';
export * from './point.rpc';
