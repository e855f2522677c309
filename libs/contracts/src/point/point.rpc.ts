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
  liabilityReport: 'point.reports.liability',
  monthlyReport: 'point.reports.monthly',
  topSourcesReport: 'point.reports.top-sources',
  ledgerExportPage: 'point.ledger-export.page',
} as const;
