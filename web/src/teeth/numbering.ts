/** Tooth codes are canonical FDI (ISO 3950) two-digit strings or region names, as the API stores them. */
export type Notation = 'fdi' | 'universal';

export interface Region {
  code: string;
  label: string;
}

export const REGIONS: readonly Region[] = [
  { code: 'full', label: 'Full mouth' },
  { code: 'upper', label: 'Upper arch' },
  { code: 'lower', label: 'Lower arch' },
  { code: 'q1', label: 'Q1 upper right' },
  { code: 'q2', label: 'Q2 upper left' },
  { code: 'q3', label: 'Q3 lower left' },
  { code: 'q4', label: 'Q4 lower right' },
];

export interface ChartRow {
  arch: 'upper' | 'lower';
  dentition: 'permanent' | 'primary';
  /** FDI codes in the order a clinician sees them: the patient's right on the viewer's left. */
  teeth: string[];
}

const descending = (count: number) => Array.from({ length: count }, (_, i) => count - i);
const ascending = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
const arch = (rightQuadrant: number, leftQuadrant: number, count: number) => [
  ...descending(count).map((p) => `${rightQuadrant}${p}`),
  ...ascending(count).map((p) => `${leftQuadrant}${p}`),
];

const UPPER_PERMANENT = arch(1, 2, 8);
const LOWER_PERMANENT = arch(4, 3, 8);
const UPPER_PRIMARY = arch(5, 6, 5);
const LOWER_PRIMARY = arch(8, 7, 5);

export function chartRows(showPrimary: boolean): ChartRow[] {
  const rows: ChartRow[] = [{ arch: 'upper', dentition: 'permanent', teeth: UPPER_PERMANENT }];
  if (showPrimary) {
    rows.push(
      { arch: 'upper', dentition: 'primary', teeth: UPPER_PRIMARY },
      { arch: 'lower', dentition: 'primary', teeth: LOWER_PRIMARY },
    );
  }
  rows.push({ arch: 'lower', dentition: 'permanent', teeth: LOWER_PERMANENT });
  return rows;
}

/** Every tooth and region an image can be filed under, in chart order, regions last. */
export const ALL_TARGETS: readonly string[] = [...UPPER_PERMANENT, ...UPPER_PRIMARY, ...LOWER_PRIMARY, ...LOWER_PERMANENT, ...REGIONS.map((r) => r.code)];

export function isRegion(code: string): boolean {
  return REGIONS.some((r) => r.code === code);
}

/**
 * Universal numbering runs 1–16 along the upper arch from the patient's upper right third molar and
 * continues 17–32 back along the lower arch; primary teeth A–J and K–T likewise.
 */
export function fdiToUniversal(fdi: string): string | null {
  let index = UPPER_PERMANENT.indexOf(fdi);
  if (index >= 0) return String(index + 1);
  index = LOWER_PERMANENT.indexOf(fdi);
  if (index >= 0) return String(32 - index);
  index = UPPER_PRIMARY.indexOf(fdi);
  if (index >= 0) return String.fromCharCode(65 + index);
  index = LOWER_PRIMARY.indexOf(fdi);
  if (index >= 0) return String.fromCharCode(84 - index);
  return null;
}

export function universalToFdi(universal: string): string | null {
  const text = universal.trim().toUpperCase();
  if (/^\d{1,2}$/.test(text)) {
    const n = Number(text);
    if (n >= 1 && n <= 16) return UPPER_PERMANENT[n - 1];
    if (n >= 17 && n <= 32) return LOWER_PERMANENT[32 - n];
    return null;
  }
  if (/^[A-T]$/.test(text)) {
    const n = text.charCodeAt(0) - 65;
    return n < 10 ? UPPER_PRIMARY[n] : LOWER_PRIMARY[19 - n];
  }
  return null;
}

/** What a clinician reads for a tooth or region in the chosen notation. */
export function toothLabel(code: string, notation: Notation): string {
  const region = REGIONS.find((r) => r.code === code);
  if (region) return region.label;
  return notation === 'universal' ? (fdiToUniversal(code) ?? code) : code;
}

/** A longer name for screen readers and headings: "Tooth 11 (FDI)". */
export function toothName(code: string, notation: Notation): string {
  if (isRegion(code)) return toothLabel(code, notation);
  return `Tooth ${toothLabel(code, notation)} (${notation === 'universal' ? 'Universal' : 'FDI'})`;
}
