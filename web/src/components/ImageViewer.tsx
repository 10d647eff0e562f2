import { useEffect, useId, useRef, useState } from 'react';
import { imagePath, type ApiClient } from '../api/client';
import { IMAGE_TYPE_LABELS, type ImageResource } from '../api/types';
import { canDelete, canEdit, canReadContent, type Session } from '../auth/session';
import { toothName, type Notation } from '../teeth/numbering';
import { ImageEditor } from './ImageEditor';
import { ImageFacts } from './ImageFacts';
import { ImageHistory } from './ImageHistory';
import { Modal } from './Modal';
import { VariantView } from './VariantView';

interface Props {
  api: ApiClient;
  session: Session;
  image: ImageResource;
  notation: Notation;
  onClose: () => void;
  onChanged: (image: ImageResource) => void;
}

/** The original's file name for a download: the client's own, else the image id with the stored format's extension. */
const downloadName = (image: ImageResource) => image.originalFileName ?? `${image.id}.${image.blobPath.split('.').pop() ?? 'bin'}`;

const PROCESSING_POLL_MS = 2000;
const PROCESSING_TRIES = 30;

/** Radiographs (and any DICOM) are shown through previews that lose detail: the viewer must say so. */
const lossyPreviewOfXray = (image: ImageResource) => image.status === 'ready' && (image.type === 'xray' || image.contentType === 'application/dicom');

export function ImageViewer({ api, session, image, notation, onClose, onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const path = imagePath(image.patientId, image.id);
  const noticeId = useId();

  const act = async (action: () => Promise<ImageResource>) => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await action());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  // An image opened while processing: look again until it is ready (with its viewing rendition) or failed, and show what
  // arrives. A ready image without the rendition (a variant, or one stored before it existed) will not get it by waiting.
  const changedRef = useRef(onChanged);
  useEffect(() => { changedRef.current = onChanged; }, [onChanged]);
  const processing = image.status === 'processing';
  useEffect(() => {
    if (!processing) return;
    let current = true;
    let tries = 0;
    const timer = window.setInterval(() => {
      if (++tries > PROCESSING_TRIES) window.clearInterval(timer);
      void api.image(image.patientId, image.id).then((fresh) => {
        if (current && fresh.status !== 'processing') {
          window.clearInterval(timer);
          changedRef.current(fresh);
        }
      }, () => {});
    }, PROCESSING_POLL_MS);
    return () => { current = false; window.clearInterval(timer); };
  }, [api, image.patientId, image.id, processing]);

  const remove = () => act(async () => {
    await api.remove(image.patientId, image.id);
    return { ...image, status: 'deleted' };
  });
  const restore = () => act(() => api.restore(image.patientId, image.id));

  const download = async () => {
    setError(null);
    try {
      await api.saveAs(`${path}/content`, downloadName(image));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Modal title={`${IMAGE_TYPE_LABELS[image.type]} · ${toothName(image.tooth, notation)}`} onClose={onClose} className="viewer">
      {lossyPreviewOfXray(image) && (
        <p className="preview-notice" id={noticeId} role="note">
          Preview only: a reduced, lossy JPEG of this X-ray, not for diagnosis. Read the original (Download original) for that.
        </p>
      )}
      <div className="viewer-body">
        <VariantView key={image.id} api={api} image={image} notation={notation} />
        {editing ? (
          <ImageEditor api={api} image={image} notation={notation} onCancel={() => setEditing(false)} onRefreshed={onChanged}
            onSaved={(saved) => { setEditing(false); onChanged(saved); }} />
        ) : (
          <ImageFacts image={image} />
        )}
      </div>
      {image.history.length > 0 && <ImageHistory changes={image.history} />}
      {error && <p className="error" role="alert">{error}</p>}
      <footer className="viewer-actions">
        {image.status !== 'deleted' && canReadContent(session) && (
          <button type="button" className="secondary" onClick={() => void download()}
            aria-describedby={lossyPreviewOfXray(image) ? noticeId : undefined}>Download original</button>
        )}
        {canEdit(session) && image.status !== 'deleted' && !editing && <button type="button" className="secondary" onClick={() => setEditing(true)}>Edit</button>}
        {canDelete(session) && image.status !== 'deleted' && <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>Delete</button>}
        {canDelete(session) && image.status === 'deleted' && <button type="button" disabled={busy} onClick={() => void restore()}>Restore</button>}
      </footer>
    </Modal>
  );
}
