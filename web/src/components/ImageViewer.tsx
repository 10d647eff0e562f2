import { useState } from 'react';
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

export function ImageViewer({ api, session, image, notation, onClose, onChanged }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
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
          <button type="button" className="secondary" onClick={() => void download()}>Download original</button>
        )}
        {canEdit(session) && image.status !== 'deleted' && !editing && <button type="button" className="secondary" onClick={() => setEditing(true)}>Edit</button>}
        {canDelete(session) && image.status !== 'deleted' && <button type="button" className="danger" disabled={busy} onClick={() => void remove()}>Delete</button>}
        {canDelete(session) && image.status === 'deleted' && <button type="button" disabled={busy} onClick={() => void restore()}>Restore</button>}
      </footer>
    </Modal>
  );
}
