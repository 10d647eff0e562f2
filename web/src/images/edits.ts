import type { ImagePatch, ImageResource, ImageType } from '../api/types';

/** What the viewer's edit form holds: the tooth as canonical FDI (the form shows it in the chosen notation). */
export interface ImageForm {
  tooth: string;
  type: ImageType;
  tags: string;
  note: string;
}

/** The API's limits on tags (documented in API.md); checked here too so a clinician learns before sending. */
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 32;
export const MAX_NOTE_LENGTH = 2000;
const TAG = /^[a-z0-9._:-]+$/;

export const formOf = (image: ImageResource): ImageForm => ({
  tooth: image.tooth,
  type: image.type,
  tags: image.tags.join(', '),
  note: image.note ?? '',
});

/** Tags as typed: separated by commas or spaces, lower-cased, each once, in the order given. */
export function parseTags(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((t) => t.trim().toLowerCase()).filter(Boolean))];
}

/** Why the tags cannot be sent, or null when they can. */
export function tagProblem(tags: readonly string[]): string | null {
  if (tags.length > MAX_TAGS) return `At most ${MAX_TAGS} tags per image.`;
  const bad = tags.find((t) => t.length > MAX_TAG_LENGTH || !TAG.test(t));
  return bad ? `"${bad}" is not a tag: up to ${MAX_TAG_LENGTH} letters, digits, dots, dashes, underscores or colons.` : null;
}

/**
 * The JSON merge patch (RFC 7396) from what the image is to what the form says: only the fields that changed,
 * so a save never rewrites a field nobody touched. An emptied note is null (removed). Null when nothing changed.
 */
export function mergePatch(image: ImageResource, form: ImageForm): Partial<ImagePatch> | null {
  const patch: Partial<ImagePatch> = {};
  if (form.tooth !== image.tooth) {
    patch.tooth = form.tooth;
    patch.notation = 'fdi';
  }
  if (form.type !== image.type) patch.type = form.type;
  const tags = parseTags(form.tags);
  if (tags.join(',') !== image.tags.join(',')) patch.tags = tags;
  const note = form.note.trim();
  if (note !== (image.note ?? '')) patch.note = note === '' ? null : note;
  return Object.keys(patch).length > 0 ? patch : null;
}
