import { IMAGE_TYPES, type ImageResource, type ImageType, type PatientSummary } from '../api/types';

export interface ImageGroup {
  type: ImageType;
  images: ImageResource[];
}

export const newestFirst = (a: ImageResource, b: ImageResource) =>
  b.uploadedAt.localeCompare(a.uploadedAt) || b.id.localeCompare(a.id);

/** Images grouped by type in the chart's fixed type order, newest first in each group; empty groups left out. */
export function groupByType(images: readonly ImageResource[]): ImageGroup[] {
  return IMAGE_TYPES.map((type) => ({ type, images: images.filter((i) => i.type === type).sort(newestFirst) })).filter(
    (g) => g.images.length > 0,
  );
}

/** Adds or replaces images by id (a page, an upload answer or a refreshed image), keeping newest first. */
export function mergeImages(current: readonly ImageResource[], incoming: readonly ImageResource[]): ImageResource[] {
  const byId = new Map(current.map((i) => [i.id, i]));
  for (const image of incoming) byId.set(image.id, image);
  return [...byId.values()].sort(newestFirst);
}

export interface ToothCounts {
  total: number;
  byType: { type: ImageType; count: number }[];
}

export function countsFor(summary: PatientSummary | null, code: string): ToothCounts {
  const counts = summary?.teeth[code] ?? {};
  const byType = IMAGE_TYPES.map((type) => ({ type, count: counts[type] ?? 0 })).filter((c) => c.count > 0);
  return { total: byType.reduce((sum, c) => sum + c.count, 0), byType };
}

/** The images a before/after comparison can use: ready ones, newest first. */
export function comparisonCandidates(images: readonly ImageResource[]): { before: ImageResource[]; after: ImageResource[] } {
  const ready = images.filter((i) => i.status === 'ready').sort(newestFirst);
  return { before: ready.filter((i) => i.type === 'before'), after: ready.filter((i) => i.type === 'after') };
}
