export * from './benefit.events';
export * from './campaign.events';
export * from './event-fields';
export * from './event-map';
export * from './member.events';
export * from './platform.events';
export * from './point.events';
export * from './validate-event-payload';
