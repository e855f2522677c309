/** Message patterns on `point.rpc`. */
export const PointRpc = {
  getBalance: 'point.get-balance',
  transactions: 'point.transactions',
  expiring: 'point.expiring',
  checkIn: 'point.check-in',
  use: 'point.use',
  adjust: 'point.adjust',
  earnBatch: 'point.earn-batch',
  freeze: 'point.freeze',
  unfreeze: 'point.unfreeze',
  reserveHold: 'point.holds.reserve',
  captureHold: 'point.holds.capture',
  releaseHold: 'point.holds.release',
  listApprovals: 'point.approvals.list',
  getApproval: 'point.approvals.get',
  approve: 'point.approvals.approve',
  reject: 'point.approvals.reject',
} as const;
