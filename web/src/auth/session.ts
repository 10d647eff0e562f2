/** A signed-in user. The access token lives in this object (memory) only: never in storage. */
export interface Session {
  accessToken: string;
  subject: string;
  roles: string[];
  signOut: () => void;
}

export const canUpload = (s: Session) => s.roles.some((r) => r === 'clinician' || r === 'admin');
export const canDelete = canUpload;
export const canSeeDeleted = (s: Session) => s.roles.includes('admin');

/** The roles and subject a JWT carries, for showing and hiding actions; the API enforces them. */
export function readClaims(token: string): { subject: string; roles: string[] } {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '='))) as Record<string, unknown>;
    const roles = claims.roles;
    const subject = claims.preferred_username ?? claims.name ?? claims.sub;
    return {
      subject: typeof subject === 'string' ? subject : 'unknown',
      roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : typeof roles === 'string' ? [roles] : [],
    };
  } catch {
    return { subject: 'unknown', roles: [] };
  }
}
