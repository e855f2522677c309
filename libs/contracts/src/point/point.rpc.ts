/** Message patterns on `point.rpc`. */
export const PointRpc = {
  getBalance: 'point.get-balance',
  transactions: 'point.transactions',
  checkIn: 'point.check-in',
  use: 'point.use',
} as const;
