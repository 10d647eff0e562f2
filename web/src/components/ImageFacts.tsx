import { viewingSize, type ImageResource } from '../api/types';
import { toothName } from '../teeth/numbering';

const formatBytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} KB`);

/** What the catalog knows about an image, beside the viewer's picture. */
export function ImageFacts({ image }: { image: ImageResource }) {
  // The viewer's rendition (see VariantView); both it and the original's size are upright (EXIF orientation applied).
  const shown = image.status === 'ready' ? image.previews?.[viewingSize(image)] : undefined;
  return (
    <dl className="metadata">
      <dt>Status</dt><dd className={`status ${image.status}`}>{image.status}{image.failureReason ? ` (${image.failureReason})` : ''}</dd>
      <dt>Uploaded</dt><dd>{new Date(image.uploadedAt).toLocaleString()} by {image.uploadedBy}</dd>
      {image.takenAt && <><dt>Taken</dt><dd>{new Date(image.takenAt).toLocaleString()}</dd></>}
      <dt>Original</dt><dd data-testid="original-size">{image.width}×{image.height}, {formatBytes(image.sizeBytes)}, {image.contentType}</dd>
      {shown && <><dt>Shown</dt><dd data-testid="shown-size">{shown.width}×{shown.height} JPEG preview</dd></>}
      {image.originalFileName && <><dt>File</dt><dd>{image.originalFileName}</dd></>}
      {image.note && <><dt>Note</dt><dd>{image.note}</dd></>}
      {image.tags.length > 0 && (
        <><dt>Tags</dt><dd><ul className="tags" aria-label="Tags">{image.tags.map((t) => <li key={t} className="tag">{t}</li>)}</ul></dd></>
      )}
      {image.notation !== 'fdi' && <><dt>Entered as</dt><dd>{toothName(image.tooth, image.notation)}</dd></>}
    </dl>
  );
}
