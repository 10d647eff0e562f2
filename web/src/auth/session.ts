/** A signed-in user. The access token lives in this object (memory) only: never in storage. */
export interface Session {
  accessToken: string;
  subject: string;
  roles: string[];
  /** The clinic the token acts in (its `clinic` claim, or Entra ID's tenant `tid`); null when it names none. */
  clinic: string | null;
  signOut: () => void;
}

export const canUpload = (s: Session) => s.roles.some((r) => r === 'clinician' || r === 'admin');
export const canDelete = canUpload;
/** Tags, note, and corrections of tooth and type (the edit policy also admits the service role, which signs in no browser). */
export const canEdit = canUpload;
export const canSeeDeleted = (s: Session) => s.roles.includes('admin');
/** Originals (the read-content policy): an auditor sees the record of access, never the pictures. */
export const canReadContent = (s: Session) => s.roles.some((r) => r === 'clinician' || r === 'admin' || r === 'service');
export const canAudit = (s: Session) => s.roles.some((r) => r === 'auditor' || r === 'admin');
/** A patient's export (data portability): the people who treat the patient. */
export const canExport = canUpload;

/** The roles, subject and clinic a JWT carries, for showing and hiding actions; the API enforces them. */
export function readClaims(token: string): { subject: string; roles: string[]; clinic: string | null } {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload.padEnd(Math.ceil(payload.length / 4) * 4, '='))) as Record<string, unknown>;
    const roles = claims.roles;
    const subject = claims.preferred_username ?? claims.name ?? claims.sub;
    const clinic = claims.clinic ?? claims.tid;
    return {
      subject: typeof subject === 'string' ? subject : 'unknown',
      roles: Array.isArray(roles) ? roles.filter((r): r is string => typeof r === 'string') : typeof roles === 'string' ? [roles] : [],
      clinic: typeof clinic === 'string' ? clinic : null,
    };
  } catch {
    return { subject: 'unknown', roles: [], clinic: null };
  }
}
