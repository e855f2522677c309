/** `GET /points/me/balance` (API.md). Points are integers. */
export interface BalanceView {
  available: number;
  frozen: number;
  pending: number;
  held: number;
  debt: number;
  expiringSoon: { points: number; before: string };
  lifetimeEarned: number;
  lifetimeUsed: number;
  lifetimeExpired: number;
}
