export * from './balance.view';
export * from './point.rpc';
export * from './use-points.dto';
export * from './point-approval.dto';
export * from './reports.dto';
