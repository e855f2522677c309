export * from './member-owner';
export * from './owner-rpc';
