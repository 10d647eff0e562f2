import { useState } from 'react';
import { imagePath, type ApiClient } from '../api/client';
import { IMAGE_TYPE_LABELS, type ImageResource } from '../api/types';
import { canDelete, canReadContent, type Session } from '../auth/session';
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

/** The original's file name for a download: the client's own, else the image id with the stored format's extension. */
const downloadName = (image: ImageResource) => image.originalFileName ?? `${image.id}.${image.blobPath.split('.').pop() ?? 'bin'}`;

export function ImageViewer({ api, session, image, notation, onClose, onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = imagePath(image.patientId, image.id);
  // The viewing rendition once it exists (it follows "ready"); the browser never needs the original, which it cannot
  // show for HEIC, TIFF or DICOM.
  const size = image.previews?.large ? 'large' : 'medium';

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
      <div className="viewer-body">
        <div className="viewer-image">
          {image.status === 'ready' ? (
            <AuthorizedImage api={api} path={`${path}/previews/${size}`}
              alt={`${IMAGE_TYPE_LABELS[image.type]} image of ${toothName(image.tooth, notation)}`} className={`preview-${size}`} />
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
        {image.status !== 'deleted' && canReadContent(session) && (
          <button type="button" className="secondary" onClick={() => void download()}>Download original</button>
        )}
        {canDelete(session) && image.status !== 'deleted' && <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>Delete</button>}
        {canDelete(session) && image.status === 'deleted' && <button type="button" disabled={busy} onClick={() => void restore()}>Restore</button>}
      </footer>
    </Modal>
  );
}
