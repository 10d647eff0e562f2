import { useEffect, useState } from 'react';
import { imagePath, type ApiClient } from '../api/client';
import { IMAGE_TYPE_LABELS, type ImageResource } from '../api/types';
import { canSeeDeleted, type Session } from '../auth/session';
import { comparisonCandidates, groupByType, mergeImages } from '../images/grouping';
import { toothName, type Notation } from '../teeth/numbering';
import { AuthorizedImage } from './AuthorizedImage';
import { BeforeAfter } from './BeforeAfter';
import { TagFilter } from './TagFilter';
import { ImageViewer } from './ImageViewer';

interface Props {
  api: ApiClient;
  session: Session;
  patientId: string;
  target: string;
  notation: Notation;
  changes: number;
  onChanged: () => void;
}

const REFRESH_WHILE_PROCESSING_MS = 2000;

export function ImagePanel({ api, session, patientId, target, notation, changes, onChanged }: Props) {
  const [images, setImages] = useState<ImageResource[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [showDeleted, setShowDeleted] = useState(false);
  const [tags, setTags] = useState<string[]>([]);
  const [viewing, setViewing] = useState<ImageResource | null>(null);
  const [comparing, setComparing] = useState(false);
  const [round, setRound] = useState(0);

  useEffect(() => {
    let current = true;
    api
      .list(patientId, { tooth: target, tags, includeDeleted: showDeleted })
      .then((page) => {
        if (!current) return;
        setImages(page.items);
        setNext(page.continuationToken);
        setError(null);
        setLoaded(true);
      })
      .catch((e: unknown) => current && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      current = false;
    };
  }, [api, patientId, target, tags, showDeleted, changes, round]);

  // Images someone else uploaded may still be processing: look again until they are done.
  const anyProcessing = images.some((i) => i.status === 'processing');
  useEffect(() => {
    if (!anyProcessing) return;
    const timer = window.setTimeout(() => setRound((n) => n + 1), REFRESH_WHILE_PROCESSING_MS);
    return () => window.clearTimeout(timer);
  }, [anyProcessing, images]);

  const loadMore = async () => {
    if (!next) return;
    const page = await api.list(patientId, { tooth: target, tags, includeDeleted: showDeleted, continuationToken: next });
    setImages((all) => mergeImages(all, page.items));
    setNext(page.continuationToken);
  };

  const changed = (image: ImageResource) => {
    setImages((all) => mergeImages(all, [image]));
    setViewing(image);
    onChanged();
  };

  const groups = groupByType(images.filter((i) => showDeleted || i.status !== 'deleted'));
  const candidates = comparisonCandidates(images);
  const title = toothName(target, notation);

  return (
    <section className="images" aria-labelledby="images-heading">
      <div className="images-header">
        <h2 id="images-heading">{title}</h2>
        <button type="button" disabled={candidates.before.length === 0 || candidates.after.length === 0} onClick={() => setComparing(true)}
          title="Needs a ready Before and a ready After image of this tooth">
          Compare before/after
        </button>
        {canSeeDeleted(session) && (
          <label className="inline">
            <input type="checkbox" checked={showDeleted} onChange={(e) => setShowDeleted(e.target.checked)} /> Show deleted
          </label>
        )}
      </div>
      <TagFilter images={images} selected={tags} onChange={setTags} />
      {error && <p className="error" role="alert">{error}</p>}
      {loaded && groups.length === 0 && (
        <p className="hint">{tags.length > 0 ? `No images under ${title} tagged ${tags.join(' and ')}.` : `No images filed under ${title} yet.`}</p>
      )}
      {groups.map((group) => (
        <section key={group.type} className="image-group" aria-label={`${IMAGE_TYPE_LABELS[group.type]} images`}>
          <h3>{IMAGE_TYPE_LABELS[group.type]} <span className="muted">({group.images.length})</span></h3>
          <ul className="thumbnails">
            {group.images.map((image) => (
              <li key={image.id}>
                {/* Named by what it shows, with the words a sighted user infers from the group and the picture (WCAG 2.5.3). */}
                <button type="button" className={`thumbnail ${image.status}`} onClick={() => setViewing(image)} data-image-id={image.id}>
                  <span className="visually-hidden">{IMAGE_TYPE_LABELS[image.type]} image, uploaded </span>
                  {image.status === 'ready' ? (
                    <AuthorizedImage api={api} path={`${imagePath(patientId, image.id)}/previews/small`} alt="" className="preview-small" />
                  ) : (
                    <span className="image-placeholder">{image.status === 'failed' ? `Failed: ${image.failureReason ?? 'unreadable'}` : image.status === 'deleted' ? 'Deleted' : 'Processing…'}</span>
                  )}
                  <span className="caption">
                    {new Date(image.uploadedAt).toLocaleDateString()}
                    {image.variants.length > 0 && ` · +${image.variants.length} variant${image.variants.length === 1 ? '' : 's'}`}
                  </span>
                  {image.tags.length > 0 && <span className="caption tags-line"><span className="visually-hidden">, tagged </span>{image.tags.join(' · ')}</span>}
                  {image.status !== 'failed' && <span className="visually-hidden">, {image.status}</span>}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
      {next && <button type="button" className="secondary" onClick={() => void loadMore()}>Load more</button>}
      {viewing && (
        <ImageViewer api={api} session={session} image={viewing} notation={notation} onClose={() => setViewing(null)} onChanged={changed} />
      )}
      {comparing && <BeforeAfter api={api} title={title} candidates={candidates} onClose={() => setComparing(false)} />}
    </section>
  );
}
