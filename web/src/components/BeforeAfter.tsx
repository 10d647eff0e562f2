import { useState } from 'react';
import { imagePath, type ApiClient } from '../api/client';
import type { ImageResource } from '../api/types';
import { AuthorizedImage } from './AuthorizedImage';
import { Modal } from './Modal';

interface Props {
  api: ApiClient;
  title: string;
  candidates: { before: ImageResource[]; after: ImageResource[] };
  onClose: () => void;
}

const describe = (image: ImageResource) => `${new Date(image.takenAt ?? image.uploadedAt).toLocaleString()}${image.originalFileName ? ` · ${image.originalFileName}` : ''}`;

/** Two images of one tooth: a slider that wipes between them, or side by side. */
export function BeforeAfter({ api, title, candidates, onClose }: Props) {
  const [beforeId, setBeforeId] = useState(candidates.before[0]?.id);
  const [afterId, setAfterId] = useState(candidates.after[0]?.id);
  const [mode, setMode] = useState<'slider' | 'side-by-side'>('slider');
  const [position, setPosition] = useState(50);
  const before = candidates.before.find((i) => i.id === beforeId);
  const after = candidates.after.find((i) => i.id === afterId);
  const preview = (image: ImageResource, alt: string) => (
    <AuthorizedImage api={api} path={`${imagePath(image.patientId, image.id)}/previews/medium`} alt={alt} className="compare-image" />
  );

  return (
    <Modal title={`Before / after · ${title}`} onClose={onClose} className="compare">
      <div className="compare-controls">
        <ImageChoice label="Before" images={candidates.before} value={beforeId} onChange={setBeforeId} />
        <ImageChoice label="After" images={candidates.after} value={afterId} onChange={setAfterId} />
        <fieldset className="inline">
          <legend className="visually-hidden">View</legend>
          <label className="inline"><input type="radio" name="mode" checked={mode === 'slider'} onChange={() => setMode('slider')} /> Slider</label>
          <label className="inline"><input type="radio" name="mode" checked={mode === 'side-by-side'} onChange={() => setMode('side-by-side')} /> Side by side</label>
        </fieldset>
      </div>
      {before && after && (mode === 'side-by-side' ? (
        <div className="side-by-side">
          <figure>{preview(before, 'Before')}<figcaption>Before · {describe(before)}</figcaption></figure>
          <figure>{preview(after, 'After')}<figcaption>After · {describe(after)}</figcaption></figure>
        </div>
      ) : (
        <div className="slider-view" data-testid="before-after-slider">
          <div className="slider-stack">
            {preview(after, 'After')}
            <div className="slider-before" style={{ clipPath: `inset(0 ${100 - position}% 0 0)` }}>
              {preview(before, 'Before')}
            </div>
          </div>
          <input type="range" min={0} max={100} value={position} onChange={(e) => setPosition(Number(e.target.value))}
            aria-label="Wipe between before (left) and after (right)" />
        </div>
      ))}
    </Modal>
  );
}

function ImageChoice({ label, images, value, onChange }: { label: string; images: ImageResource[]; value?: string; onChange: (id: string) => void }) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {images.map((i) => <option key={i.id} value={i.id}>{describe(i)}</option>)}
      </select>
    </label>
  );
}
