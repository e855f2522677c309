export * from './campaign.dto';
export * from './campaign.rpc';
