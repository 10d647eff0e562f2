import { useEffect, useId, useRef, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { FITTED, panBy, pinchFactor, viewAfterKey, zoomAt, ZOOM_STEP, type View } from '../images/zoom';

interface Props {
  /** What is shown, for the frame's name ("Before image of Tooth 11 (FDI)"). */
  label: string;
  children: ReactNode;
}

type Point = { x: number; y: number };
const distance = (a: Point, b: Point) => Math.hypot(a.x - b.x, a.y - b.y);

/**
 * The viewer's picture, zoomed and panned by wheel, pinch, drag, keys (+, −, 0, arrows) and buttons; whatever is inside
 * (a preview, a variant, an overlay) moves as one.
 */
export function ZoomableView({ label, children }: Props) {
  const frame = useRef<HTMLDivElement>(null);
  const [view, setView] = useState<View>(FITTED);
  const pointers = useRef(new Map<number, Point>());
  const keysHelp = useId();

  const size = () => ({ width: frame.current?.clientWidth ?? 1, height: frame.current?.clientHeight ?? 1 });
  /** A point in the frame, relative to its centre. */
  const inFrame = (clientX: number, clientY: number): Point => {
    const box = frame.current!.getBoundingClientRect();
    return { x: clientX - box.left - box.width / 2, y: clientY - box.top - box.height / 2 };
  };

  // React's wheel listener is passive, so it cannot keep the page from scrolling: listen directly.
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const onWheel = (event: WheelEvent) => {
      event.preventDefault();
      const at = inFrame(event.clientX, event.clientY);
      setView((v) => zoomAt(v, event.deltaY < 0 ? ZOOM_STEP : 1 / ZOOM_STEP, at, size()));
    };
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, []);

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    event.currentTarget.setPointerCapture(event.pointerId);
    pointers.current.set(event.pointerId, inFrame(event.clientX, event.clientY));
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const before = pointers.current.get(event.pointerId);
    if (!before) return;
    const now = inFrame(event.clientX, event.clientY);
    const others = [...pointers.current.entries()].filter(([id]) => id !== event.pointerId).map(([, p]) => p);
    pointers.current.set(event.pointerId, now);
    if (others.length === 0) {
      setView((v) => panBy(v, now.x - before.x, now.y - before.y, size()));
    } else {
      // Two fingers: zoom about their middle by how much further apart they moved.
      const other = others[0];
      const middle = { x: (now.x + other.x) / 2, y: (now.y + other.y) / 2 };
      setView((v) => zoomAt(v, pinchFactor(distance(before, other), distance(now, other)), middle, size()));
    }
  };

  const onPointerUp = (event: PointerEvent<HTMLDivElement>) => {
    pointers.current.delete(event.pointerId);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = viewAfterKey(view, event.key, size());
    if (!next) return;
    event.preventDefault();
    setView(next);
  };

  const percent = Math.round(view.scale * 100);
  return (
    <div className="zoomable">
      <div
        ref={frame}
        className={`viewer-image zoom-frame${view.scale > 1 ? ' zoomed' : ''}`}
        tabIndex={0}
        role="group"
        aria-roledescription="zoomable picture"
        aria-label={`${label}, ${percent}%`}
        aria-describedby={keysHelp}
        data-testid="zoom-frame"
        onKeyDown={onKeyDown}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
        onDoubleClick={(e) => setView((v) => (v.scale > 1 ? FITTED : zoomAt(v, 2, inFrame(e.clientX, e.clientY), size())))}
      >
        <div className="zoom-content" style={{ transform: `translate(${view.x}px, ${view.y}px) scale(${view.scale})` }}>
          {children}
        </div>
      </div>
      <p id={keysHelp} className="visually-hidden">Plus and minus zoom, the arrow keys move the picture, 0 fits it to the frame.</p>
      <div className="zoom-controls" role="group" aria-label="Zoom">
        <button type="button" className="secondary" onClick={() => setView((v) => zoomAt(v, 1 / ZOOM_STEP, { x: 0, y: 0 }, size()))}
          disabled={view.scale <= 1} aria-label="Zoom out">−</button>
        <output aria-live="polite" data-testid="zoom-level">{percent}%</output>
        <button type="button" className="secondary" onClick={() => setView((v) => zoomAt(v, ZOOM_STEP, { x: 0, y: 0 }, size()))} aria-label="Zoom in">+</button>
        <button type="button" className="secondary" onClick={() => setView(FITTED)} disabled={view.scale === 1 && view.x === 0 && view.y === 0}>Fit</button>
      </div>
    </div>
  );
}
