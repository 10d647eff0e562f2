import { useEffect, useRef, useState, type DragEvent } from 'react';
import { startResumableUpload, type RunningUpload } from '../upload/resumableUpload';
import type { ApiClient } from '../api/client';
import { IMAGE_TYPE_LABELS, IMAGE_TYPES, type ImageResource, type ImageType } from '../api/types';
import { toothName, type Notation } from '../teeth/numbering';

interface Props {
  api: ApiClient;
  patientId: string;
  target: string | null;
  notation: Notation;
  /** Something the chart and lists show has changed: an image was stored or finished processing. */
  onChanged: () => void;
}

type UploadState = 'uploading' | 'paused' | 'stored' | 'duplicate' | 'refused' | 'interrupted';

interface UploadItem {
  key: string;
  file: File;
  tooth: string;
  type: ImageType;
  progress: number;
  state: UploadState;
  message?: string;
  /** The stored image's id, known before the catalog has it. */
  imageId?: string;
  image?: ImageResource;
}

const POLL_MS = 1000;
// HEIC and AVIF by type and extension: some browsers report no type for them.
const ACCEPT = 'image/jpeg,image/png,image/tiff,image/webp,image/heic,image/heif,.heic,.heif,image/avif,.avif,application/dicom,.dcm,.dicom';

export function UploadPanel({ api, patientId, target, notation, onChanged }: Props) {
  const [type, setType] = useState<ImageType>('clinical');
  const [items, setItems] = useState<UploadItem[]>([]);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  const update = (key: string, patch: Partial<UploadItem>) => setItems((all) => all.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  // The running uploads, to pause and resume them; they are not state because they do not change what is shown.
  const running = useRef(new Map<string, RunningUpload>());

  const send = (item: UploadItem) => {
    update(item.key, { state: 'uploading', message: undefined });
    const target = { patientId, tooth: item.tooth, type: item.type };
    running.current.set(item.key, startResumableUpload(target, item.file, () => api.authorization(), {
      onProgress: (fraction) => update(item.key, { progress: fraction }),
      onStored: (imageId, duplicate) => {
        running.current.delete(item.key);
        update(item.key, { state: duplicate ? 'duplicate' : 'stored', progress: 1, imageId });
        // A duplicate is catalogued already (its status, deleted or not, matters now); a new image is looked for until it is ready.
        if (duplicate) void api.image(patientId, imageId).then((image) => update(item.key, { image }), () => undefined);
        onChanged();
      },
      onFailed: (e) => {
        running.current.delete(item.key);
        const interrupted = e.status === 0 || e.status >= 500 || e.status === 429;
        update(item.key, { state: interrupted ? 'interrupted' : 'refused', message: e.message });
      },
    }));
  };

  const pause = (item: UploadItem) => {
    running.current.get(item.key)?.pause();
    update(item.key, { state: 'paused' });
  };

  const resume = (item: UploadItem) => {
    running.current.get(item.key)?.resume();
    update(item.key, { state: 'uploading' });
  };

  const restore = async (item: UploadItem) => {
    try {
      update(item.key, { image: await api.restore(patientId, item.image!.id) });
      onChanged();
    } catch (e) {
      update(item.key, { state: 'refused', message: e instanceof Error ? e.message : String(e) });
    }
  };

  const add = (files: FileList | null) => {
    if (!files || files.length === 0 || !target) return;
    const added = [...files].map((file): UploadItem => ({ key: crypto.randomUUID(), file, tooth: target, type, progress: 0, state: 'uploading' }));
    setItems((all) => [...added, ...all]);
    added.forEach(send);
  };

  // Poll the images this session stored until they are catalogued and their previews made (or the image is refused).
  const [pollRound, setPollRound] = useState(0);
  const processingIds = items
    .filter((i) => i.state === 'stored' && i.imageId && (!i.image || i.image.status === 'processing'))
    .map((i) => i.imageId!)
    .join(',');
  useEffect(() => {
    if (!processingIds) return;
    const timer = window.setTimeout(async () => {
      const fresh = await Promise.all(processingIds.split(',').map((id) => api.image(patientId, id).catch(() => null)));
      const done = fresh.filter((f): f is ImageResource => f !== null && f.status !== 'processing');
      if (done.length > 0) {
        setItems((all) => all.map((i) => ({ ...i, image: done.find((d) => d.id === i.imageId) ?? i.image })));
        onChanged();
      }
      setPollRound((n) => n + 1);
    }, POLL_MS);
    return () => window.clearTimeout(timer);
  }, [api, patientId, processingIds, pollRound, onChanged]);

  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    add(event.dataTransfer.files);
  };

  return (
    <section className="upload" aria-labelledby="upload-heading">
      <h2 id="upload-heading">Upload</h2>
      <div className="upload-controls">
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value as ImageType)} name="type">
            {IMAGE_TYPES.map((t) => <option key={t} value={t}>{IMAGE_TYPE_LABELS[t]}</option>)}
          </select>
        </label>
        <button type="button" disabled={!target} onClick={() => picker.current?.click()}>Choose files…</button>
        <input ref={picker} type="file" multiple accept={ACCEPT} hidden data-testid="file-input"
          onChange={(e) => { add(e.target.files); e.target.value = ''; }} />
      </div>
      <div
        className={`drop-zone${dragging ? ' dragging' : ''}${target ? '' : ' disabled'}`}
        data-testid="drop-zone"
        onDragOver={(e) => { e.preventDefault(); setDragging(Boolean(target)); }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {target ? `Drop images here to file them under ${toothName(target, notation)} as ${IMAGE_TYPE_LABELS[type]}` : 'Select a tooth or region on the chart first'}
      </div>
      {items.length > 0 && (
        // Focusable, so that a keyboard can scroll the list once it outgrows its height.
        <ul className="upload-list" aria-label="Uploads" tabIndex={0}>
          {items.map((item) => (
            <li key={item.key} className={`upload-item ${item.state}`} data-file={item.file.name}>
              <span className="file-name">{item.file.name}</span>
              <span className="file-target">{toothName(item.tooth, notation)} · {IMAGE_TYPE_LABELS[item.type]}</span>
              <progress max={1} value={item.progress} aria-label={`Upload progress of ${item.file.name}`} />
              <span className="upload-status" role={item.state === 'refused' || item.state === 'interrupted' ? 'alert' : undefined}>
                {describe(item)}
              </span>
              {item.state === 'uploading' && <button type="button" className="link" onClick={() => pause(item)}>Pause</button>}
              {item.state === 'paused' && <button type="button" className="link" onClick={() => resume(item)}>Resume</button>}
              {item.state === 'interrupted' && <button type="button" className="link" onClick={() => send(item)}>Retry</button>}
              {item.state === 'duplicate' && item.image?.status === 'deleted' && (
                <button type="button" className="link" onClick={() => void restore(item)}>Restore</button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function describe(item: UploadItem): string {
  switch (item.state) {
    case 'uploading':
      return `Uploading ${Math.round(item.progress * 100)}%`;
    case 'paused':
      return `Paused at ${Math.round(item.progress * 100)}%`;
    case 'duplicate':
      return item.image?.status === 'deleted'
        ? 'Identical to a deleted image of this patient; nothing new was stored. Restore that image to use it again'
        : 'Already stored for this patient (identical file); nothing new was stored';
    case 'refused':
    case 'interrupted':
      return item.message ?? 'Failed';
    case 'stored':
      if (item.image?.status === 'ready') return 'Stored, previews ready';
      if (item.image?.status === 'failed') return `Stored, but no preview: ${item.image.failureReason ?? 'unreadable image'}`;
      return 'Stored, making previews…';
  }
}
