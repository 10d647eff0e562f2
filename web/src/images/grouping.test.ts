import { describe, expect, it } from 'vitest';
import type { ImageResource, PatientSummary } from '../api/types';
import { comparisonCandidates, countsFor, groupByType, mergeImages } from './grouping';

const image = (id: string, type: ImageResource['type'], uploadedAt: string, status: ImageResource['status'] = 'ready'): ImageResource => ({
  id, type, uploadedAt, status,
  patientId: 'p-1', tooth: '11', enteredTooth: '11', notation: 'fdi', failureReason: null, contentType: 'image/jpeg', sizeBytes: 1,
  sha256: 'a'.repeat(64), blobPath: `originals/p-1/11/${type}/${id}.jpg`,
  width: 1, height: 1, originalFileName: null, previews: null, uploadedBy: 'dr', takenAt: null, note: null, tags: [], metadata: {}, history: [], variant: null, variants: [],
});

describe('groupByType', () => {
  it('groups in chart order, newest first, without empty groups', () => {
    const groups = groupByType([
      image('a', 'xray', '2026-01-01T10:00:00Z'),
      image('b', 'before', '2026-01-02T10:00:00Z'),
      image('c', 'xray', '2026-03-01T10:00:00Z'),
      image('d', 'other', '2026-02-01T10:00:00Z'),
    ]);
    expect(groups.map((g) => g.type)).toEqual(['before', 'xray', 'other']);
    expect(groups[1].images.map((i) => i.id)).toEqual(['c', 'a']);
  });

  it('orders images uploaded in the same instant by id so the order is stable', () => {
    const groups = groupByType([image('a', 'xray', '2026-01-01T10:00:00Z'), image('b', 'xray', '2026-01-01T10:00:00Z')]);
    expect(groups[0].images.map((i) => i.id)).toEqual(['b', 'a']);
  });

  it('returns nothing for no images', () => {
    expect(groupByType([])).toEqual([]);
  });
});

describe('mergeImages', () => {
  it('replaces an image by id and keeps the rest newest first', () => {
    const merged = mergeImages(
      [image('a', 'xray', '2026-01-01T10:00:00Z', 'processing'), image('b', 'xray', '2026-01-02T10:00:00Z')],
      [image('a', 'xray', '2026-01-01T10:00:00Z', 'ready'), image('c', 'after', '2026-01-03T10:00:00Z')],
    );
    expect(merged.map((i) => `${i.id}:${i.status}`)).toEqual(['c:ready', 'b:ready', 'a:ready']);
  });
});

describe('countsFor', () => {
  const summary: PatientSummary = {
    patientId: 'p-1', total: 4, lastUploadAt: null,
    teeth: { '11': { xray: 2, before: 1 }, q1: { clinical: 1 } },
  };

  it('sums a tooth by type in chart order', () => {
    expect(countsFor(summary, '11')).toEqual({ total: 3, byType: [{ type: 'before', count: 1 }, { type: 'xray', count: 2 }] });
  });

  it('is zero for a tooth without images or without a summary', () => {
    expect(countsFor(summary, '12')).toEqual({ total: 0, byType: [] });
    expect(countsFor(null, '11').total).toBe(0);
  });
});

describe('comparisonCandidates', () => {
  it('offers ready before and after images only, newest first', () => {
    const { before, after } = comparisonCandidates([
      image('b1', 'before', '2026-01-01T10:00:00Z'),
      image('b2', 'before', '2026-02-01T10:00:00Z'),
      image('b3', 'before', '2026-03-01T10:00:00Z', 'processing'),
      image('a1', 'after', '2026-04-01T10:00:00Z', 'failed'),
      image('a2', 'after', '2026-05-01T10:00:00Z'),
      image('x', 'xray', '2026-05-01T10:00:00Z'),
    ]);
    expect(before.map((i) => i.id)).toEqual(['b2', 'b1']);
    expect(after.map((i) => i.id)).toEqual(['a2']);
  });
});
