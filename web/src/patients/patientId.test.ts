import { describe, expect, it } from 'vitest';
import { isValidPatientId } from './patientId';

describe('patient id', () => {
  it('accepts the API patient id format only', () => {
    expect(isValidPatientId('0b7c6f0e-4c1e-4d5a-9f57-1c2b3a4d5e6f')).toBe(true);
    expect(isValidPatientId('')).toBe(false);
    expect(isValidPatientId('a'.repeat(65))).toBe(false);
    expect(isValidPatientId('jane doe')).toBe(false);
  });
});
