import { describe, expect, it } from 'vitest';
import { canSeeDeleted, canUpload, readClaims, type Session } from './session';

const token = (claims: object) =>
  ['e30', btoa(JSON.stringify(claims)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), 'sig'].join('.');

describe('readClaims', () => {
  it('reads the subject and a roles array', () => {
    expect(readClaims(token({ sub: 'dr-who', roles: ['clinician'], clinic: 'clinic-a' }))).toEqual({ subject: 'dr-who', roles: ['clinician'], clinic: 'clinic-a' });
  });

  it('prefers the user name Entra ID sends and accepts a single role', () => {
    expect(readClaims(token({ sub: 'x1', preferred_username: 'dr@clinic.example', roles: 'admin', tid: 'b6a1c3e0-1f0e-4d55-9a8a-0d7c3f1e2a10' })))
      .toEqual({ subject: 'dr@clinic.example', roles: ['admin'], clinic: 'b6a1c3e0-1f0e-4d55-9a8a-0d7c3f1e2a10' });
  });

  it('reads base64url payloads that need padding and carry url-safe characters', () => {
    expect(readClaims(token({ sub: '>>>???', roles: ['auditor'] })).subject).toBe('>>>???');
  });

  it('has no roles for a token it cannot read', () => {
    expect(readClaims('garbage')).toEqual({ subject: 'unknown', roles: [], clinic: null });
    expect(readClaims(token({ sub: 'dr-who', roles: ['clinician'] })).clinic).toBeNull();
  });
});

describe('role checks', () => {
  const session = (roles: string[]): Session => ({ accessToken: '', subject: 's', roles, clinic: 'clinic-a', signOut: () => {} });

  it('lets clinicians and admins upload, auditors only read', () => {
    expect(canUpload(session(['clinician']))).toBe(true);
    expect(canUpload(session(['auditor']))).toBe(false);
    expect(canSeeDeleted(session(['clinician']))).toBe(false);
    expect(canSeeDeleted(session(['admin']))).toBe(true);
  });
});
