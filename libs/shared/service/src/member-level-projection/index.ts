export * from './member-level-projection';
export * from './member-level-projection.migration';
