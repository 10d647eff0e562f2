/**
 * Zoom and pan of a picture fitted into a frame: `scale` 1 is the fitted picture, `x`/`y` move its centre away from the
 * frame's centre in CSS pixels. Points are relative to the frame's centre. Pure, so the viewer's gestures (wheel, pinch,
 * drag, keys, buttons) all go through the same arithmetic.
 */
export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

export const FITTED: View = { scale: 1, x: 0, y: 0 };
export const MIN_SCALE = 1;
export const MAX_SCALE = 8;
/** One step of the buttons, the keys and a wheel notch. */
export const ZOOM_STEP = 1.25;
/** How far one arrow key moves the picture, as a share of the frame. */
export const PAN_STEP = 0.1;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Keeps the scale in range and the picture over the frame: no panning past its edges, none at all when fitted. */
export function clampView(view: View, frame: Size): View {
  const scale = clamp(view.scale, MIN_SCALE, MAX_SCALE);
  const reachX = ((scale - 1) * frame.width) / 2;
  const reachY = ((scale - 1) * frame.height) / 2;
  return { scale, x: clamp(view.x, -reachX, reachX), y: clamp(view.y, -reachY, reachY) };
}

/** Zooms by `factor` keeping the picture's point under `at` (the pointer, the pinch's middle, or the centre) where it is. */
export function zoomAt(view: View, factor: number, at: { x: number; y: number }, frame: Size): View {
  const scale = clamp(view.scale * factor, MIN_SCALE, MAX_SCALE);
  const ratio = scale / view.scale;
  return clampView({ scale, x: at.x - (at.x - view.x) * ratio, y: at.y - (at.y - view.y) * ratio }, frame);
}

export function panBy(view: View, dx: number, dy: number, frame: Size): View {
  return clampView({ ...view, x: view.x + dx, y: view.y + dy }, frame);
}

/** What a key does to the view, or null when the key is not one of the viewer's. */
export function viewAfterKey(view: View, key: string, frame: Size): View | null {
  const centre = { x: 0, y: 0 };
  const stepX = frame.width * PAN_STEP;
  const stepY = frame.height * PAN_STEP;
  switch (key) {
    case '+':
    case '=':
      return zoomAt(view, ZOOM_STEP, centre, frame);
    case '-':
    case '_':
      return zoomAt(view, 1 / ZOOM_STEP, centre, frame);
    case '0':
      return FITTED;
    // The arrows move the view, so the picture goes the other way.
    case 'ArrowLeft':
      return panBy(view, stepX, 0, frame);
    case 'ArrowRight':
      return panBy(view, -stepX, 0, frame);
    case 'ArrowUp':
      return panBy(view, 0, stepY, frame);
    case 'ArrowDown':
      return panBy(view, 0, -stepY, frame);
    default:
      return null;
  }
}

/** The zoom factor of a pinch: how much further apart the two fingers are than they were. */
export const pinchFactor = (before: number, after: number) => (before > 0 ? after / before : 1);
