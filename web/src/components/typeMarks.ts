import type { ImageType } from '../api/types';

/** One-letter marks for the chart's per-type counts (the legend and labels spell them out). */
export const TYPE_MARKS: Record<ImageType, string> = { before: 'B', after: 'A', xray: 'X', clinical: 'C', other: 'O' };
