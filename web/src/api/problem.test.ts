import { describe, expect, it } from 'vitest';
import { ApiError, describeProblem, parseProblem } from './problem';

describe('problem details', () => {
  it('joins title and detail', () => {
    expect(describeProblem(415, { title: 'Unsupported image format', detail: 'The file is not a JPEG, PNG, TIFF or WebP image.' })).toBe(
      'Unsupported image format: The file is not a JPEG, PNG, TIFF or WebP image.',
    );
  });

  it('says what the status means when there is no body', () => {
    expect(describeProblem(413, null)).toBe('The file is too large');
    expect(describeProblem(503, null)).toBe('The service is unavailable; try again');
    expect(describeProblem(418, null)).toBe('Request failed (418)');
  });

  it('parses only JSON bodies', () => {
    expect(parseProblem('application/problem+json; charset=utf-8', '{"title":"Bad tooth","field":"tooth"}')).toEqual({ title: 'Bad tooth', field: 'tooth' });
    expect(parseProblem('text/html', '<html>')).toBeNull();
    expect(parseProblem('application/json', 'not json')).toBeNull();
    expect(parseProblem(null, '')).toBeNull();
  });

  it('carries the sentence as the error message', () => {
    const error = new ApiError(400, { title: 'Invalid tooth', detail: 'tooth must be an FDI tooth.' });
    expect(error.message).toBe('Invalid tooth: tooth must be an FDI tooth.');
    expect(error.status).toBe(400);
  });
});
