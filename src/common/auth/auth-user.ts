export type Role = 'user' | 'admin';

export interface AuthUser {
  id: number;
  role: Role;
}

export class InvalidTokenError extends Error {}

/**
 * Reads the identity provider's claims: `sub` is a positive integer (string or number),
 * `role` is "user" (default) or "admin". Anything else is not a token we accept.
 */
export function authUserFromClaims(claims: Record<string, unknown>): AuthUser {
  const { sub, role } = claims;
  const id = typeof sub === 'number' ? sub : typeof sub === 'string' && /^[1-9][0-9]{0,15}$/.test(sub) ? Number(sub) : NaN;
  if (!Number.isSafeInteger(id) || id <= 0) throw new InvalidTokenError('sub must be a positive integer');
  if (role !== undefined && role !== 'user' && role !== 'admin') throw new InvalidTokenError('role must be user or admin');
  return { id, role: role ?? 'user' };
}
