/** Message patterns on `point.rpc`. */
export const PointRpc = {
  getBalance: 'point.get-balance',
} as const;
