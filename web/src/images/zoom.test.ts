import { describe, expect, it } from 'vitest';
import { clampView, FITTED, MAX_SCALE, panBy, pinchFactor, viewAfterKey, zoomAt } from './zoom';

const frame = { width: 800, height: 600 };

describe('zoom and pan', () => {
  it('keeps the point under the pointer in place while zooming in', () => {
    const at = { x: 200, y: -100 };
    const zoomed = zoomAt(FITTED, 2, at, frame);
    expect(zoomed).toEqual({ scale: 2, x: -200, y: 100 });
    // The picture point under the pointer: (at - offset) / scale, the same before and after.
    expect((at.x - zoomed.x) / zoomed.scale).toBe(at.x);
    expect((at.y - zoomed.y) / zoomed.scale).toBe(at.y);
  });

  it('never zooms out past the fitted picture nor in past the largest scale', () => {
    expect(zoomAt(FITTED, 0.5, { x: 100, y: 100 }, frame)).toEqual(FITTED);
    expect(zoomAt({ scale: 7, x: 0, y: 0 }, 4, { x: 0, y: 0 }, frame).scale).toBe(MAX_SCALE);
  });

  it('does not pan a fitted picture and stops at the picture\'s edges when zoomed', () => {
    expect(panBy(FITTED, 50, 50, frame)).toEqual(FITTED);
    expect(panBy({ scale: 2, x: 0, y: 0 }, 1000, -1000, frame)).toEqual({ scale: 2, x: 400, y: -300 });
    expect(clampView({ scale: 3, x: -2000, y: 10 }, frame)).toEqual({ scale: 3, x: -800, y: 10 });
  });

  it('answers the viewer\'s keys and ignores the others', () => {
    const zoomed = viewAfterKey(FITTED, '+', frame)!;
    expect(zoomed.scale).toBe(1.25);
    expect(viewAfterKey(zoomed, '-', frame)).toEqual(FITTED);
    expect(viewAfterKey({ scale: 2, x: 0, y: 0 }, 'ArrowRight', frame)).toEqual({ scale: 2, x: -80, y: 0 });
    expect(viewAfterKey({ scale: 2, x: 0, y: 0 }, 'ArrowUp', frame)).toEqual({ scale: 2, x: 0, y: 60 });
    expect(viewAfterKey({ scale: 4, x: 30, y: 30 }, '0', frame)).toEqual(FITTED);
    expect(viewAfterKey(FITTED, 'a', frame)).toBeNull();
  });

  it('turns fingers moving apart into a zoom in', () => {
    expect(pinchFactor(100, 150)).toBe(1.5);
    expect(pinchFactor(0, 150)).toBe(1);
  });
});
