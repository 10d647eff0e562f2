import { useState } from 'react';
import { imagePath, type ApiClient } from '../api/client';
import { IMAGE_TYPE_LABELS, type ImageResource } from '../api/types';
import { canDelete, type Session } from '../auth/session';
import { toothName, type Notation } from '../teeth/numbering';
import { AuthorizedImage } from './AuthorizedImage';
import { Modal } from './Modal';

interface Props {
  api: ApiClient;
  session: Session;
  image: ImageResource;
  notation: Notation;
  onClose: () => void;
  onChanged: (image: ImageResource) => void;
}

const formatBytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

export function ImageViewer({ api, session, image, notation, onClose, onChanged }: Props) {
  const [original, setOriginal] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = imagePath(image.patientId, image.id);

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

  const remove = () => act(async () => {
    await api.remove(image.patientId, image.id);
    return { ...image, status: 'deleted' };
  });
  const restore = () => act(() => api.restore(image.patientId, image.id));

  return (
    <Modal title={`${IMAGE_TYPE_LABELS[image.type]} · ${toothName(image.tooth, notation)}`} onClose={onClose} className="viewer">
      <div className="viewer-body">
        <div className="viewer-image">
          {image.status === 'ready' || original ? (
            <AuthorizedImage api={api} path={original ? `${path}/content` : `${path}/previews/medium`}
              alt={`${IMAGE_TYPE_LABELS[image.type]} image of ${toothName(image.tooth, notation)}`} className={original ? 'original' : 'preview-medium'} />
          ) : (
            <p className="image-placeholder">
              {image.status === 'failed' ? `No preview: ${image.failureReason ?? 'the image could not be read'}` : image.status === 'deleted' ? 'Deleted' : 'Making previews…'}
            </p>
          )}
        </div>
        <dl className="metadata">
          <dt>Status</dt><dd className={`status ${image.status}`}>{image.status}{image.failureReason ? ` (${image.failureReason})` : ''}</dd>
          <dt>Uploaded</dt><dd>{new Date(image.uploadedAt).toLocaleString()} by {image.uploadedBy}</dd>
          {image.takenAt && <><dt>Taken</dt><dd>{new Date(image.takenAt).toLocaleString()}</dd></>}
          <dt>Original</dt><dd>{image.width}×{image.height}, {formatBytes(image.sizeBytes)}, {image.contentType}</dd>
          {image.originalFileName && <><dt>File</dt><dd>{image.originalFileName}</dd></>}
          {image.note && <><dt>Note</dt><dd>{image.note}</dd></>}
        </dl>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      <footer className="viewer-actions">
        {image.status !== 'deleted' && (
          <button type="button" className="secondary" onClick={() => setOriginal((o) => !o)}>{original ? 'Show preview' : 'Show original'}</button>
        )}
        {canDelete(session) && image.status !== 'deleted' && <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>Delete</button>}
        {canDelete(session) && image.status === 'deleted' && <button type="button" disabled={busy} onClick={() => void restore()}>Restore</button>}
      </footer>
    </Modal>
  );
}
