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
  'points:approve',
  'reports:read',
] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

/** A platform user id: what members and admins are known by (a positive decimal, 1–19 digits). */
export const PLATFORM_USER_ID_PATTERN = /^[1-9]\d{0,18}$/;

/**
 * The named subject of a service token (`cart-service`): 1–64 characters of `A–Z a–z 0–9 . _ : -`.
 * Services are not platform users, so they have no user id of their own.
 */
export const SERVICE_SUBJECT_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

export function isPlatformUserId(value: string): boolean {
  return PLATFORM_USER_ID_PATTERN.test(value);
}

/** Whether a caller with these roles is a service only, so it is known by a named subject. */
export function isServiceOnly(roles: readonly Role[]): boolean {
  return roles.length > 0 && roles.every((role) => role === 'service');
}

/** Who asked: carried from the gateway with every RPC command, for authorization and audit. */
export interface Actor {
  /**
   * Who the caller is: the platform user id (a decimal string) of a member or an admin, or the
   * named subject of a service token (`cart-service`, see SERVICE_SUBJECT_PATTERN).
   */
  userId: string;
  roles: Role[];
  perms: AdminPermission[];
  ip?: string;
  userAgent?: string;
}
