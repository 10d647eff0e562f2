import type { ProblemDetails } from './types';

/** An answer the API refused, carrying its problem detail (RFC 9457) for the person who sent it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: ProblemDetails | null,
  ) {
    super(describeProblem(status, problem));
    this.name = 'ApiError';
  }
}

const FALLBACK_TITLES: Record<number, string> = {
  401: 'Your session has ended; sign in again',
  403: 'Your role may not do this',
  404: 'Not found',
  413: 'The file is too large',
  415: 'This file type is not accepted',
  429: 'Too many requests; try again in a moment',
};

/** One readable sentence: the problem's title and detail, or what the status means when there is no body. */
export function describeProblem(status: number, problem: ProblemDetails | null): string {
  const title = problem?.title ?? FALLBACK_TITLES[status] ?? (status >= 500 ? 'The service is unavailable; try again' : `Request failed (${status})`);
  const detail = problem?.detail && problem.detail !== title ? problem.detail : null;
  return detail ? `${title}: ${detail}` : title;
}

/** Reads a problem detail body when the answer has one (the gateway and services send application/problem+json). */
export function parseProblem(contentType: string | null, body: string): ProblemDetails | null {
  if (!contentType || !/json/i.test(contentType) || !body) return null;
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed && typeof parsed === 'object' ? (parsed as ProblemDetails) : null;
  } catch {
    return null;
  }
}
