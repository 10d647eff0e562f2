import { describe, expect, it } from 'vitest';
import { chartRows, fdiToUniversal, isRegion, toothLabel, toothName, universalToFdi } from './numbering';

describe('Universal numbering', () => {
  it.each([
    ['18', '1'], ['11', '8'], ['21', '9'], ['28', '16'],
    ['38', '17'], ['31', '24'], ['41', '25'], ['48', '32'],
    ['55', 'A'], ['51', 'E'], ['61', 'F'], ['65', 'J'],
    ['75', 'K'], ['71', 'O'], ['81', 'P'], ['85', 'T'],
  ])('FDI %s is Universal %s and back', (fdi, universal) => {
    expect(fdiToUniversal(fdi)).toBe(universal);
    expect(universalToFdi(universal)).toBe(fdi);
  });

  it('maps all 52 teeth one to one', () => {
    const all = chartRows(true).flatMap((r) => r.teeth);
    const universal = all.map(fdiToUniversal);
    expect(new Set(universal).size).toBe(52);
    expect(all.every((fdi) => universalToFdi(fdiToUniversal(fdi)!) === fdi)).toBe(true);
  });

  it.each(['0', '33', 'U', '', '1A', 'full'])('refuses %j', (value) => {
    expect(universalToFdi(value)).toBeNull();
  });

  it('accepts lower-case letters and spaces', () => {
    expect(universalToFdi(' a ')).toBe('55');
  });

  it('has no Universal number for codes that are not teeth', () => {
    expect(fdiToUniversal('19')).toBeNull();
    expect(fdiToUniversal('q1')).toBeNull();
  });
});

describe('chart rows', () => {
  it('shows the permanent arches with the patient right on the viewer left', () => {
    const rows = chartRows(false);
    expect(rows.map((r) => `${r.arch}-${r.dentition}`)).toEqual(['upper-permanent', 'lower-permanent']);
    expect(rows[0].teeth.slice(6, 10)).toEqual(['12', '11', '21', '22']);
    expect(rows[1].teeth[0]).toBe('48');
    expect(rows[1].teeth[15]).toBe('38');
  });

  it('adds the primary arches between them on request', () => {
    const rows = chartRows(true);
    expect(rows.map((r) => r.teeth.length)).toEqual([16, 10, 10, 16]);
    expect(rows[1].teeth).toEqual(['55', '54', '53', '52', '51', '61', '62', '63', '64', '65']);
    expect(rows[2].teeth).toEqual(['85', '84', '83', '82', '81', '71', '72', '73', '74', '75']);
  });
});

describe('labels', () => {
  it('labels teeth in the chosen notation and regions by name', () => {
    expect(toothLabel('11', 'fdi')).toBe('11');
    expect(toothLabel('11', 'universal')).toBe('8');
    expect(toothLabel('q3', 'universal')).toBe('Q3 lower left');
    expect(toothName('48', 'universal')).toBe('Tooth 32 (Universal)');
    expect(toothName('upper', 'fdi')).toBe('Upper arch');
    expect(isRegion('full')).toBe(true);
    expect(isRegion('11')).toBe(false);
  });
});
