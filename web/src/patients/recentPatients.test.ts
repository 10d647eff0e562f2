import { describe, expect, it } from 'vitest';
import { isValidPatientId, loadRecentPatients, rememberPatient } from './recentPatients';

const memoryStorage = (initial: Record<string, string> = {}) => {
  const items = new Map(Object.entries(initial));
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
};

describe('recent patients', () => {
  it('keeps the most recent first, once each, at most eight', () => {
    const storage = memoryStorage();
    for (let i = 1; i <= 10; i++) rememberPatient(storage, `p-${i}`);
    const recent = rememberPatient(storage, 'p-5');
    expect(recent).toEqual(['p-5', 'p-10', 'p-9', 'p-8', 'p-7', 'p-6', 'p-4', 'p-3']);
    expect(loadRecentPatients(storage)).toEqual(recent);
  });

  it('ignores what is not a list of patient ids', () => {
    expect(loadRecentPatients(memoryStorage({ 'dental.recentPatients': '{' }))).toEqual([]);
    expect(loadRecentPatients(memoryStorage({ 'dental.recentPatients': '["ok-1", "Jane Doe", 3]' }))).toEqual(['ok-1']);
  });

  it('accepts the API patient id format only', () => {
    expect(isValidPatientId('0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f')).toBe(true);
    expect(isValidPatientId('')).toBe(false);
    expect(isValidPatientId('a'.repeat(65))).toBe(false);
    expect(isValidPatientId('jane doe')).toBe(false);
  });
});
