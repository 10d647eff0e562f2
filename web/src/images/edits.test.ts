import { describe, expect, it } from 'vitest';
import type { ImageResource } from '../api/types';
import { formOf, mergePatch, parseTags, tagProblem } from './edits';

const image = {
  id: '7c1f0b7e-0000-4000-8000-000000000001',
  tooth: '11',
  type: 'clinical',
  tags: ['caries', 'recall'],
  note: 'mesial shadow',
} as ImageResource;

describe('parseTags', () => {
  it('splits on commas and spaces, lower-cases and keeps each tag once in the order typed', () => {
    expect(parseTags(' Caries, recall  CARIES,,implant:site-2 ')).toEqual(['caries', 'recall', 'implant:site-2']);
  });

  it('reads an empty field as no tags', () => {
    expect(parseTags(' , ')).toEqual([]);
  });
});

describe('tagProblem', () => {
  it('accepts the characters the API accepts', () => {
    expect(tagProblem(['a.b_c:d-1'])).toBeNull();
  });

  it('names a tag with characters the API refuses', () => {
    expect(tagProblem(['ok', 'näh'])).toMatch(/"näh" is not a tag/);
  });

  it('refuses a tag longer than 32 characters and more than 20 tags', () => {
    expect(tagProblem(['x'.repeat(33)])).toMatch(/up to 32/);
    expect(tagProblem(['x'.repeat(32)])).toBeNull();
    expect(tagProblem(Array.from({ length: 21 }, (_, i) => `t${i}`))).toMatch(/At most 20/);
  });
});

describe('mergePatch', () => {
  it('is null when the form still says what the image says', () => {
    expect(mergePatch(image, formOf(image))).toBeNull();
    expect(mergePatch(image, { ...formOf(image), tags: 'CARIES recall', note: ' mesial shadow ' })).toBeNull();
  });

  it('sends only the changed fields, a tooth always in FDI', () => {
    expect(mergePatch(image, { ...formOf(image), tooth: '21', type: 'before' })).toEqual({ tooth: '21', notation: 'fdi', type: 'before' });
  });

  it('sends the whole new tag list (merge patch replaces arrays) and removes an emptied note', () => {
    expect(mergePatch(image, { ...formOf(image), tags: 'recall', note: '' })).toEqual({ tags: ['recall'], note: null });
    expect(mergePatch(image, { ...formOf(image), tags: '' })).toEqual({ tags: [] });
  });

  it('adds a note to an image that had none', () => {
    expect(mergePatch({ ...image, note: null }, { ...formOf({ ...image, note: null }), note: 'new' })).toEqual({ note: 'new' });
  });
});
