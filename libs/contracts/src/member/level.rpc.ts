/** Level patterns on `member.rpc`. */
export const LevelRpc = {
  list: 'member.levels.list',
  create: 'member.levels.create',
  update: 'member.levels.update',
  progress: 'member.levels.progress',
  setMemberLevel: 'member.levels.set-member-level',
  /** One level by id (`{levelId}`), or LEVEL_NOT_FOUND: services check a level they name. */
  get: 'member.levels.get',
} as const;
