/**
 * Recently opened patients, remembered in the browser as opaque ids only (never names or other
 * personal data), most recent first.
 */
const KEY = 'dental.recentPatients';
const LIMIT = 8;
const PATIENT_ID = /^[A-Za-z0-9-]{1,64}$/;

export const isValidPatientId = (id: string) => PATIENT_ID.test(id);

export function loadRecentPatients(storage: Pick<Storage, 'getItem'>): string[] {
  try {
    const parsed: unknown = JSON.parse(storage.getItem(KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id): id is string => typeof id === 'string' && isValidPatientId(id)).slice(0, LIMIT) : [];
  } catch {
    return [];
  }
}

export function rememberPatient(storage: Pick<Storage, 'getItem' | 'setItem'>, id: string): string[] {
  const recent = [id, ...loadRecentPatients(storage).filter((p) => p !== id)].slice(0, LIMIT);
  storage.setItem(KEY, JSON.stringify(recent));
  return recent;
}

export function forgetPatients(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(KEY);
}
