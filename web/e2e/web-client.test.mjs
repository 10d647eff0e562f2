// The web client in headless Chromium (Debian's package, driven by Playwright) against a running stack
// in Development (role picker sign-in). DENTAL_GATEWAY: the gateway serving the built client;
// DENTAL_E2E_ARTIFACTS: where screenshots go.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { gateway, openTablet, pngFile as drawPng, storedState } from './browser.mjs';

const artifacts = path.resolve(process.env.DENTAL_E2E_ARTIFACTS ?? 'artifacts/web-e2e');
const patientId = randomUUID();
const READY_TIMEOUT = 90_000;

let browser;
let page;
let pageProblems;

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  ({ browser, page, problems: pageProblems } = await openTablet());
});

after(async () => {
  await browser?.close();
});

const pngFile = (name, hue) => drawPng(page, name, hue);
const tooth = (code) => page.locator(`.chart button[data-code="${code}"]`);
const uploadRow = (name) => page.locator(`.upload-item[data-file="${name}"]`);
/** Waits until `count` images (the element itself, or the images inside it) are decoded and shown. */
const shown = async (locator, count = 1) =>
  page.waitForFunction(([element, n]) => {
    const images = element.tagName === 'IMG' ? [element] : [...element.querySelectorAll('img')];
    return images.length === n && images.every((i) => i.complete && i.naturalWidth > 0);
  }, [await locator.elementHandle(), count]);
/** Waits until the chart's button for `code` describes its images as `pattern` says (it refreshes on its own). */
const chartSays = (code, pattern, timeout = 30_000) =>
  page.waitForFunction(([c, source]) => new RegExp(source).test(document.querySelector(`.chart button[data-code="${c}"]`)?.getAttribute('aria-label') ?? ''),
    [code, pattern.source], { timeout });
/** The size of the picked file, which the viewer's download must return whole. */
let beforeBytes = 0;
const imagesLoaded = (locator) => locator.evaluateAll((images) => images.length > 0 && images.every((i) => i.complete && i.naturalWidth > 0));

test('a clinician signs in with the development role picker', async () => {
  await page.goto(gateway);
  await page.getByLabel('Role').selectOption('clinician');
  await page.getByLabel('User name').fill('dr-e2e');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.user', { hasText: 'dr-e2e' }).waitFor();
  assert.match(await page.locator('.user').innerText(), /clinician/);
});

test('opens a patient by id, remembered in the browser as the id alone', async () => {
  await page.getByLabel('Patient id').fill(patientId);
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  assert.equal(await page.getByTestId('patient-id').innerText(), patientId);
  assert.equal(new URL(page.url()).hash, `#/patients/${patientId}`);
  const stored = JSON.parse(await storedState(page));
  assert.deepEqual(JSON.parse(stored.local['dental.recentPatients']), [patientId]);
  assert.ok(!JSON.stringify(stored).includes('eyJ'), 'no token is kept in the browser\'s storage');
  assert.deepEqual(stored.session, {});
});

test('uploads two images to a tooth, one picked and one dropped, and sees previews and the chart count', async () => {
  assert.match(await tooth('11').getAttribute('aria-label'), /no images/);
  await tooth('11').click();
  await page.locator('#images-heading', { hasText: 'Tooth 11 (FDI)' }).waitFor();

  await page.locator('.upload select[name="type"]').selectOption('before');
  const beforeFile = await pngFile('before.png', 20);
  beforeBytes = beforeFile.buffer.length;
  await page.getByTestId('file-input').setInputFiles(beforeFile);

  await page.locator('.upload select[name="type"]').selectOption('after');
  const dropped = await pngFile('after.png', 200);
  const transfer = await page.evaluateHandle(({ name, mimeType, bytes }) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], name, { type: mimeType }));
    return data;
  }, { name: dropped.name, mimeType: dropped.mimeType, bytes: dropped.buffer.toString('base64') });
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: transfer });

  for (const name of ['before.png', 'after.png']) {
    await uploadRow(name).locator('.upload-status', { hasText: 'previews ready' }).waitFor({ timeout: READY_TIMEOUT });
    assert.equal(await uploadRow(name).locator('progress').evaluate((p) => p.value), 1);
  }

  await chartSays('11', /2 images: 1 Before, 1 After/, READY_TIMEOUT);
  assert.equal(await tooth('11').locator('.counts').innerText(), 'B1\nA1');
  assert.equal(await page.getByTestId('patient-total').innerText(), '2 images in all');

  for (const group of ['Before images', 'After images']) {
    const previews = page.getByRole('region', { name: group }).locator('img.preview-small');
    await shown(previews.first());
    assert.ok(await imagesLoaded(previews), `${group}: the small preview is shown`);
  }
  await page.locator('.patient-view').screenshot({ path: path.join(artifacts, 'chart.png') });
});

test('the viewer shows the viewing preview and downloads the original', async () => {
  await page.getByRole('region', { name: 'Before images' }).locator('button.thumbnail').first().click();
  const viewer = page.locator('dialog.viewer');
  // The large preview once it exists (it follows "ready"), the medium one until then; never the original.
  const preview = viewer.locator('img.preview-large, img.preview-medium');
  await shown(preview);
  assert.ok((await preview.evaluate((i) => i.naturalWidth)) <= 1600, 'the preview fits 1600 px');
  await viewer.screenshot({ path: path.join(artifacts, 'viewer.png') });

  const [download] = await Promise.all([page.waitForEvent('download'), viewer.getByRole('button', { name: 'Download original' }).click()]);
  assert.equal(download.suggestedFilename(), 'before.png');
  assert.equal(statSync(await download.path()).size, beforeBytes, 'the original arrives whole');
  await page.keyboard.press('Escape');
  await viewer.waitFor({ state: 'detached' });
});

test('the patient is exported as one zip with every original and a manifest', async () => {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export patient (zip)' }).click()]);
  assert.equal(download.suggestedFilename(), `patient-${patientId}.zip`);
  const zip = readFileSync(await download.path());
  assert.equal(zip.subarray(0, 4).toString('latin1'), 'PK\x03\x04', 'a zip archive');
  // Entry names are stored as they are: the manifest and the original the test uploaded are in it.
  assert.ok(zip.includes('manifest.json') && zip.includes('original.png'), 'the manifest and the originals are in the zip');
  await page.getByRole('status').filter({ hasText: 'Export saved' }).waitFor();
});

test('before and after of the tooth side by side and as a slider moved with the keyboard', async () => {
  await page.getByRole('button', { name: 'Compare before/after' }).click();
  const compare = page.locator('dialog.compare');
  const slider = compare.getByTestId('before-after-slider');
  await shown(slider, 2);

  const clip = () => compare.locator('.slider-before').evaluate((el) => el.style.clipPath);
  assert.equal(await clip(), 'inset(0px 50% 0px 0px)');
  await compare.getByRole('slider').focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowLeft');
  assert.equal(await clip(), 'inset(0px 70% 0px 0px)');
  await compare.screenshot({ path: path.join(artifacts, 'before-after-slider.png') });

  await compare.getByLabel('Side by side').check();
  const figures = compare.locator('.side-by-side img');
  await shown(compare.locator('.side-by-side'), 2);
  assert.equal(await figures.count(), 2);
  await compare.screenshot({ path: path.join(artifacts, 'before-after-side-by-side.png') });
  await compare.getByRole('button', { name: 'Close' }).click();
});

test('a refused file shows the server\'s problem detail and nothing is stored', async () => {
  await page.getByTestId('file-input').setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not an image at all') });
  const status = uploadRow('notes.jpg').locator('.upload-status');
  await status.locator('text=/Unsupported file format/').waitFor();
  assert.match(await status.innerText(), /not a JPEG, PNG, TIFF, WebP, HEIC, AVIF or DICOM image/);
  assert.equal(await status.getAttribute('role'), 'alert');
  await page.locator('.detail-column').screenshot({ path: path.join(artifacts, 'refused-file.png') });

  // The chart still counts two images once it has looked again.
  await tooth('11').click();
  assert.equal(await page.getByTestId('patient-total').innerText(), '2 images in all');
});

test('an image whose data is broken is stored but shown as failed, with the reason', async () => {
  // A real JPEG cut in half: its header passes the upload checks, the thumbnailer cannot decode it.
  const whole = await pngFile('whole.png', 90);
  const jpegBase64 = await page.evaluate(async (png) => {
    const image = new Image();
    image.src = `data:image/png;base64,${png}`;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = image.width;
    canvas.height = image.height;
    canvas.getContext('2d').drawImage(image, 0, 0);
    return canvas.toDataURL('image/jpeg', 0.9).split(',')[1];
  }, whole.buffer.toString('base64'));
  const jpeg = Buffer.from(jpegBase64, 'base64');

  await tooth('12').click();
  await page.locator('.upload select[name="type"]').selectOption('clinical');
  await page.getByTestId('file-input').setInputFiles({ name: 'cut.jpg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, jpeg.length >> 1) });
  const status = uploadRow('cut.jpg').locator('.upload-status');
  await status.locator('text=/no preview/').waitFor({ timeout: READY_TIMEOUT });
  assert.match(await status.innerText(), /Stored, but no preview: corrupt/);

  const card = page.getByRole('region', { name: 'Clinical photo images' }).locator('button.thumbnail.failed');
  await card.waitFor({ timeout: READY_TIMEOUT });
  assert.match(await card.innerText(), /Failed: corrupt/);
  await card.click();
  assert.match(await page.locator('dialog.viewer .status').innerText(), /failed \(corrupt: /);
  await page.keyboard.press('Escape');
});

test('a deleted image leaves the tooth and comes back on restore', async () => {
  await tooth('11').click();
  await page.getByRole('region', { name: 'After images' }).locator('button.thumbnail').first().click();
  const viewer = page.locator('dialog.viewer');
  await viewer.getByRole('button', { name: 'Delete' }).click();
  await viewer.getByRole('button', { name: 'Restore' }).waitFor();
  await chartSays('11', /1 image: 1 Before/);
  assert.equal(await page.getByRole('region', { name: 'After images' }).count(), 0);

  await viewer.getByRole('button', { name: 'Restore' }).click();
  await viewer.getByRole('button', { name: 'Delete' }).waitFor();
  await chartSays('11', /2 images: 1 Before, 1 After/);
  await page.keyboard.press('Escape');
});

test('numbering switches to Universal, primary teeth appear on request, and the chart works from the keyboard', async () => {
  await page.getByLabel('Universal').check();
  assert.equal(await tooth('11').locator('.target-label').innerText(), '8');
  assert.equal(await tooth('48').locator('.target-label').innerText(), '32');
  assert.equal(await tooth('55').count(), 0);

  await page.getByLabel('Primary teeth').check();
  assert.equal(await tooth('55').locator('.target-label').innerText(), 'A');
  assert.equal(await tooth('85').locator('.target-label').innerText(), 'T');

  await tooth('21').focus();
  await page.keyboard.press('Enter');
  await page.locator('#images-heading', { hasText: 'Tooth 9 (Universal)' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-code')), '22');
  await page.locator('.chart').screenshot({ path: path.join(artifacts, 'chart-universal-primary.png') });
});

test('an auditor reads the clinic\'s audit trail: who did what to the patient, and who saw its images', async () => {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByLabel('Role').selectOption('auditor');
  await page.getByLabel('User name').fill('auditor-e2e');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Audit trail' }).click();
  const filter = page.locator('form.audit-filter');
  await filter.getByLabel('Patient id').fill(patientId);
  await filter.getByRole('button', { name: 'Show' }).click();

  const records = page.getByTestId('audit-records');
  await records.locator('tbody tr', { hasText: 'Restore image' }).waitFor();
  const rows = await records.locator('tbody tr').allInnerTexts();
  for (const action of ['Upload', 'Delete image', 'Restore image', 'View preview', 'Download original', 'Export patient']) {
    assert.ok(rows.some((row) => row.includes(action) && row.includes('dr-e2e')), `a record of "${action}" by dr-e2e`);
  }
  assert.ok(rows.every((row) => row.includes(patientId)), 'only the patient asked for');
  const report = page.getByTestId('access-report');
  await report.locator('tbody tr', { hasText: 'dr-e2e' }).waitFor();
  await page.screenshot({ path: path.join(artifacts, 'audit.png'), fullPage: true });
  await page.getByRole('button', { name: 'Back to images' }).click();
});

test('nothing on the page broke or was blocked by its security policy', () => {
  assert.deepEqual(pageProblems, []);
});
