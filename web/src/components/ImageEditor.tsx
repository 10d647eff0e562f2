import { useEffect, useState, type FormEvent } from 'react';
import type { ApiClient, VersionedImage } from '../api/client';
import { ApiError } from '../api/problem';
import { IMAGE_TYPE_LABELS, IMAGE_TYPES, type ImageResource, type ImageType } from '../api/types';
import { formOf, MAX_NOTE_LENGTH, MAX_TAGS, mergePatch, parseTags, tagProblem, type ImageForm } from '../images/edits';
import { ALL_TARGETS, toothName, type Notation } from '../teeth/numbering';

interface Props {
  api: ApiClient;
  image: ImageResource;
  notation: Notation;
  onSaved: (image: ImageResource) => void;
  /** A read found the image changed by someone else: the viewer shows their version too. */
  onRefreshed: (image: ImageResource) => void;
  onCancel: () => void;
}

const CHANGED_ELSEWHERE = 'Someone changed this image while you were editing it. The form now shows the current values; make your change again.';

/**
 * Edits tooth, type, tags and note. It starts from a fresh read (with the image's version) and sends only what changed,
 * guarded by that version, so two people editing one image never silently overwrite each other.
 */
export function ImageEditor({ api, image, notation, onSaved, onRefreshed, onCancel }: Props) {
  const [version, setVersion] = useState<VersionedImage | null>(null);
  const [form, setForm] = useState<ImageForm>(() => formOf(image));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = async () => {
    const fresh = await api.versionedImage(image.patientId, image.id);
    setVersion(fresh);
    setForm(formOf(fresh.image));
    return fresh;
  };

  useEffect(() => {
    reload().catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    // Read when the form opens; a later read happens only on a conflict.
  }, [image.id]);

  const set = (field: keyof ImageForm) => (value: string) => setForm((f) => ({ ...f, [field]: value }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!version) return;
    const problem = tagProblem(parseTags(form.tags)) ?? (form.note.length > MAX_NOTE_LENGTH ? `A note has at most ${MAX_NOTE_LENGTH} characters.` : null);
    if (problem) {
      setError(problem);
      return;
    }
    const patch = mergePatch(version.image, form);
    if (!patch) {
      onSaved(version.image);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSaved((await api.edit(image.patientId, image.id, patch, version.etag)).image);
    } catch (e) {
      if (e instanceof ApiError && e.status === 412) {
        const fresh = await reload().catch(() => null);
        if (fresh) onRefreshed(fresh.image);
        setError(CHANGED_ELSEWHERE);
      } else {
        setError(e instanceof Error ? e.message : String(e));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="image-editor" aria-label="Edit image" onSubmit={(e) => void save(e)}>
      {/* Nothing can be typed before the fresh read arrives: it would overwrite what was typed. */}
      <fieldset disabled={!version || busy}>
        <label htmlFor="edit-tooth">Tooth</label>
        <select id="edit-tooth" value={form.tooth} onChange={(e) => set('tooth')(e.target.value)}>
          {ALL_TARGETS.map((code) => <option key={code} value={code}>{toothName(code, notation)}</option>)}
        </select>
        <label htmlFor="edit-type">Type</label>
        <select id="edit-type" value={form.type} onChange={(e) => set('type')(e.target.value as ImageType)}>
          {IMAGE_TYPES.map((t) => <option key={t} value={t}>{IMAGE_TYPE_LABELS[t]}</option>)}
        </select>
        <label htmlFor="edit-tags">Tags</label>
        <input id="edit-tags" value={form.tags} onChange={(e) => set('tags')(e.target.value)} aria-describedby="edit-tags-hint" autoComplete="off" />
        <span id="edit-tags-hint" className="muted hint-small">Separated by commas or spaces; up to {MAX_TAGS}.</span>
        <label htmlFor="edit-note">Note</label>
        <textarea id="edit-note" value={form.note} onChange={(e) => set('note')(e.target.value)} rows={3} maxLength={MAX_NOTE_LENGTH} />
      </fieldset>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="editor-actions">
        <button type="submit" disabled={busy || !version}>{busy ? 'Saving…' : 'Save'}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
