// Debian's Chromium driven by Playwright, as the browser tests use it: a 1024×768 tablet, headless.
import { chromium } from 'playwright-core';

export const gateway = process.env.DENTAL_GATEWAY ?? 'http://127.0.0.1:5100';

/** Starts the browser and one page; `problems` collects page errors and security-policy violations. */
export async function openTablet() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const page = await (await browser.newContext({ viewport: { width: 1024, height: 768 } })).newPage();
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
