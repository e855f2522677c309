/** Message patterns on `benefit.rpc`. */
export const BenefitRpc = {
  listMine: 'benefit.list-mine',
  eligibility: 'benefit.eligibility',
  quote: 'benefit.quote',
  use: 'benefit.use',
  stats: 'benefit.stats',
  priority: 'benefit.priority',
  list: 'benefit.admin.list',
  create: 'benefit.admin.create',
  update: 'benefit.admin.update',
  remove: 'benefit.admin.remove',
  benefitStats: 'benefit.admin.stats',
  /** One benefit by id (`{benefitId}`), or BENEFIT_NOT_FOUND: services check a benefit they name. */
  get: 'benefit.get',
} as const;
