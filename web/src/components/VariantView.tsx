import { useState } from 'react';
import { imagePath, type ApiClient } from '../api/client';
import { IMAGE_TYPE_LABELS, VARIANT_KIND_LABELS, viewingSize, type ImageResource, type VariantSummary } from '../api/types';
import { toothName, type Notation } from '../teeth/numbering';
import { AuthorizedImage } from './AuthorizedImage';
import { ZoomableView } from './ZoomableView';

interface Props {
  api: ApiClient;
  image: ImageResource;
  notation: Notation;
}

type Display = 'instead' | 'over';

export const variantLabel = (variant: Pick<VariantSummary, 'kind' | 'producer'>) => `${VARIANT_KIND_LABELS[variant.kind] ?? variant.kind} by ${variant.producer}`;

/**
 * An image's viewing preview, and its variants (a clinician's markup, a model's heatmap or segmentation) either instead of
 * it or laid over it at an opacity the clinician sets. Variants have small and medium previews only, so an overlay lays
 * the variant's medium preview over the original's medium one: the same size, the same place.
 */
export function VariantView({ api, image, notation }: Props) {
  const [shownId, setShownId] = useState<string | null>(null);
  const [display, setDisplay] = useState<Display>('instead');
  const [opacity, setOpacity] = useState(50);
  const shown = image.variants.find((v) => v.id === shownId && v.status === 'ready') ?? null;
  const subject = `${IMAGE_TYPE_LABELS[image.type]} image of ${toothName(image.tooth, notation)}`;
  const preview = (id: string, size: string, alt: string, className = `preview-${size}`) => (
    <AuthorizedImage api={api} path={`${imagePath(image.patientId, id)}/previews/${size}`} alt={alt} className={className} />
  );

  const picture = () => {
    if (!shown) {
      // The viewing rendition once it exists (it follows "ready"); the browser never needs the original, which it cannot
      // show for HEIC, TIFF or DICOM.
      return preview(image.id, viewingSize(image), subject);
    }
    if (display === 'instead') return preview(shown.id, 'medium', `${variantLabel(shown)} of the ${subject}`, 'preview-variant');
    return (
      <div className="overlay-stack" data-testid="variant-overlay">
        {preview(image.id, 'medium', subject)}
        <div className="overlay-layer" style={{ opacity: opacity / 100 }}>
          {preview(shown.id, 'medium', `${variantLabel(shown)} laid over it`, 'preview-variant')}
        </div>
      </div>
    );
  };

  return (
    <div className="viewer-main">
      {image.status === 'ready' ? (
        <ZoomableView label={shown ? `${variantLabel(shown)} of the ${subject}` : subject}>{picture()}</ZoomableView>
      ) : (
        <div className="viewer-image">
          <p className="image-placeholder">
            {image.status === 'failed' ? `No preview: ${image.failureReason ?? 'the image could not be read'}` : image.status === 'deleted' ? 'Deleted' : 'Making previews…'}
          </p>
        </div>
      )}
      {image.variants.length > 0 && image.status === 'ready' && (
        <div className="variant-controls">
          <fieldset className="inline">
            <legend>Show</legend>
            <label className="inline">
              <input type="radio" name="variant" checked={!shown} onChange={() => setShownId(null)} /> Original
            </label>
            {image.variants.map((v) => (
              <label className="inline" key={v.id}>
                <input type="radio" name="variant" checked={shown?.id === v.id} disabled={v.status !== 'ready'} onChange={() => setShownId(v.id)} />
                {' '}{variantLabel(v)}{v.status !== 'ready' ? ` (${v.status ?? 'processing'})` : ''}
              </label>
            ))}
          </fieldset>
          {shown && (
            <fieldset className="inline">
              <legend>Variant</legend>
              <label className="inline">
                <input type="radio" name="display" checked={display === 'instead'} onChange={() => setDisplay('instead')} /> Instead of the original
              </label>
              <label className="inline">
                <input type="radio" name="display" checked={display === 'over'} onChange={() => setDisplay('over')} /> Over the original
              </label>
              {display === 'over' && (
                <label className="inline">
                  Opacity
                  <input type="range" min={0} max={100} step={5} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))}
                    aria-valuetext={`${opacity}%`} />
                  <output>{opacity}%</output>
                </label>
              )}
            </fieldset>
          )}
        </div>
      )}
    </div>
  );
}
