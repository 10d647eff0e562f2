// Debian's Chromium driven by Playwright, as the browser tests use it: a tablet, headless, in landscape (1024×768) or,
// with DENTAL_E2E_VIEWPORT=768x1024, in portrait.
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

export const gateway = process.env.DENTAL_GATEWAY ?? 'http://127.0.0.1:5100';

const [width, height] = (process.env.DENTAL_E2E_VIEWPORT ?? '1024x768').split('x').map(Number);
export const viewport = { width, height, name: `${width}x${height}` };

/** Starts the browser and one page; `problems` collects page errors and security-policy violations. */
export async function openTablet() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const page = await (await browser.newContext({ viewport: { width, height }, hasTouch: true })).newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => /Content Security Policy/i.test(message.text()) && problems.push(`CSP: ${message.text()}`));
  return { browser, page, problems };
}

/** A real PNG of distinct content (so two files are never duplicates), drawn by the browser itself. */
export async function pngFile(page, name, hue) {
  const base64 = await page.evaluate((h) => {
    const canvas = document.createElement('canvas');
    canvas.width = 640;
    canvas.height = 480;
    const g = canvas.getContext('2d');
    const gradient = g.createLinearGradient(0, 0, 640, 480);
    gradient.addColorStop(0, `hsl(${h} 70% 35%)`);
    gradient.addColorStop(1, `hsl(${(h + 60) % 360} 70% 75%)`);
    g.fillStyle = gradient;
    g.fillRect(0, 0, 640, 480);
    g.fillStyle = '#fff';
    g.beginPath();
    g.ellipse(320, 240, 120 + h / 4, 160, 0, 0, Math.PI * 2);
    g.fill();
    return canvas.toDataURL('image/png').split(',')[1];
  }, hue);
  return { name, mimeType: 'image/png', buffer: Buffer.from(base64, 'base64') };
}

/** Everything the browser keeps outside memory, to check that no token is among it. */
export const storedState = (page) => page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage }, cookies: document.cookie }));

/**
 * Checks the page as it is now against WCAG 2.2 A and AA with axe-core (the experimental label-in-name check included,
 * WCAG 2.5.3) and fails on any serious or critical violation, naming the rule and the elements.
 */
export async function expectAccessible(page, state) {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .options({ rules: { 'label-content-name-mismatch': { enabled: true } } })
    .analyze();
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    blocking.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')} (${n.failureSummary?.split('\n').slice(1).join(' ').trim()})`).join('; ')}`),
    [],
    `${state} at ${viewport.name}: no serious or critical accessibility violations`);
}

/**
 * The elements under `scope` a finger must hit (buttons, selects, text fields, and the labels that carry radio buttons and
 * check boxes) that are smaller than 44×44 CSS pixels, as "what (width×height)".
 */
export const smallTargets = (scope) => scope.evaluate((root) => {
  const targets = [...root.querySelectorAll('button, select, input, textarea, [tabindex="0"]')]
    .map((e) => (e instanceof HTMLInputElement && (e.type === 'radio' || e.type === 'checkbox' || e.type === 'range') ? e.closest('label') ?? e : e))
    .filter((e) => e.getClientRects().length > 0 && !e.hidden);
  return [...new Set(targets)]
    .map((e) => ({ e, box: e.getBoundingClientRect() }))
    .filter(({ box }) => Math.round(box.width) < 44 || Math.round(box.height) < 44)
    .map(({ e, box }) => `${e.tagName.toLowerCase()} "${(e.getAttribute('aria-label') ?? e.textContent ?? '').trim().slice(0, 40)}" (${Math.round(box.width)}×${Math.round(box.height)})`);
});
