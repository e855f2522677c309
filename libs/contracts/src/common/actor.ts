export const ROLES = ['member', 'admin', 'service'] as const;
export type Role = (typeof ROLES)[number];

export const ADMIN_PERMISSIONS = [
  'members:read',
  'members:pii',
  'members:write',
  'levels:write',
  'points:adjust',
  'benefits:write',
  'campaigns:write',
  'audit:read',
  'system:write',
] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

/** Who asked: carried from the gateway with every RPC command, for authorization and audit. */
export interface Actor {
  /** Platform user id (the token's `sub`), a decimal string. */
  userId: string;
  roles: Role[];
  perms: AdminPermission[];
  ip?: string;
  userAgent?: string;
}
