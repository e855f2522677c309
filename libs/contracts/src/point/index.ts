export * from './balance.view';
export * from './point.rpc';
export * from './use-points.dto';
