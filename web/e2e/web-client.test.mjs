// The web client in headless Chromium (Debian's package, driven by Playwright) against a running stack
// in Development (role picker sign-in), on a tablet in landscape or portrait (DENTAL_E2E_VIEWPORT). Every state it visits
// is checked with axe-core. DENTAL_GATEWAY: the gateway serving the built client; DENTAL_E2E_ARTIFACTS: where screenshots
// go (a folder per viewport); DENTAL_E2E_ROTATED_JPEG: a photo stored sideways with EXIF orientation 6.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { expectAccessible, gateway, openTablet, pngFile as drawPng, smallTargets, storedState, viewport } from './browser.mjs';

const artifacts = path.join(path.resolve(process.env.DENTAL_E2E_ARTIFACTS ?? 'artifacts/web-e2e'), viewport.name);
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
/** The dropped After file, sent again later as a duplicate of a deleted image. */
let afterFile;
const imagesLoaded = (locator) => locator.evaluateAll((images) => images.length > 0 && images.every((i) => i.complete && i.naturalWidth > 0));

test('a clinician signs in with the development role picker', async () => {
  await page.goto(gateway);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await expectAccessible(page, 'sign-in');
  await page.getByLabel('Role').selectOption('clinician');
  await page.getByLabel('User name').fill('dr-e2e');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('.user', { hasText: 'dr-e2e' }).waitFor();
  assert.match(await page.locator('.user').innerText(), /clinician/);
  await page.locator('.patient-picker').getByText(/Recently active in your clinic/).waitFor();
  await page.locator('.patient-picker [aria-busy="true"]').waitFor({ state: 'detached', timeout: READY_TIMEOUT });
  await expectAccessible(page, 'patient picker');
});

test('opens a new patient by its exact id, and the browser keeps neither the id nor a token', async () => {
  await page.getByLabel('Patient id').fill(patientId);
  await page.getByTestId('patient-lookup').getByText('No images under this id in your clinic yet').waitFor();
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  assert.equal(await page.getByTestId('patient-id').innerText(), patientId);
  assert.equal(new URL(page.url()).hash, `#/patients/${patientId}`);
  const stored = JSON.parse(await storedState(page));
  assert.ok(!JSON.stringify(stored).includes(patientId), 'the patient list comes from the catalog, not the browser');
  assert.ok(!JSON.stringify(stored).includes('eyJ'), 'no token is kept in the browser\'s storage');
  assert.deepEqual(stored.session, {});
  await page.getByTestId('patient-total').getByText('0 images in all').waitFor();
  await expectAccessible(page, 'empty chart');
});

test('every tooth, region and chart control is a finger-sized target', async () => {
  assert.deepEqual(await smallTargets(page.locator('.chart')), []);
  assert.deepEqual(await smallTargets(page.locator('.top-bar')), []);
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
  afterFile = dropped;
  const transfer = await page.evaluateHandle(({ name, mimeType, bytes }) => {
    const data = new DataTransfer();
    data.items.add(new File([Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0))], name, { type: mimeType }));
    return data;
  }, { name: dropped.name, mimeType: dropped.mimeType, bytes: dropped.buffer.toString('base64') });
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer: transfer });
  await uploadRow('after.png').waitFor();
  await expectAccessible(page, 'uploads under way');

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
  await expectAccessible(page, 'uploads done, chart with images');
  await page.locator('.patient-view').screenshot({ path: path.join(artifacts, 'chart.png') });
});

test('the patient picker lists the clinic\'s recently active patients from the catalog, this one first, and finds it by id', async () => {
  await page.getByRole('button', { name: 'Change patient' }).click();
  const recent = page.getByRole('list', { name: 'Recently active in your clinic' });
  await recent.getByRole('button').first().waitFor();
  assert.match(await recent.getByRole('button').first().innerText(), new RegExp(patientId));
  assert.ok(await recent.getByRole('button').count() <= 20, 'at most the 20 most recent');

  await page.getByLabel('Patient id').fill(patientId);
  await page.getByTestId('patient-lookup').getByText(/^2 images stored, last upload /).waitFor();
  await page.getByLabel('Patient id').fill(randomUUID());
  await page.getByTestId('patient-lookup').getByText('No images under this id in your clinic yet').waitFor();
  await expectAccessible(page, 'patient picker with recent patients');
  await page.screenshot({ path: path.join(artifacts, 'patient-picker.png') });

  await recent.getByRole('button').first().click();
  assert.equal(await page.getByTestId('patient-id').innerText(), patientId);
  await tooth('11').click();
  await page.getByRole('region', { name: 'Before images' }).waitFor();
});

test('the viewer shows the large rendition, zooms and pans by keys, wheel, pinch and buttons, and downloads the original', async () => {
  await page.getByRole('region', { name: 'Before images' }).locator('button.thumbnail').first().click();
  const viewer = page.locator('dialog.viewer');
  // The large rendition (it comes with "ready"; the viewer shows it as soon as it exists); never the original.
  const preview = viewer.locator('img.preview-large');
  await shown(preview);
  assert.equal(await preview.evaluate((i) => i.naturalWidth), 640, 'a 640 px original is not enlarged');
  assert.equal(await viewer.getByTestId('original-size').innerText().then((t) => t.split(',')[0]), '640×480');
  await expectAccessible(page, 'viewer');
  assert.deepEqual(await smallTargets(viewer), []);
  await viewer.screenshot({ path: path.join(artifacts, 'viewer.png') });

  const frame = viewer.getByTestId('zoom-frame');
  const level = viewer.getByTestId('zoom-level');
  const transform = () => frame.locator('.zoom-content').evaluate((e) => e.style.transform);
  await frame.focus();
  await page.keyboard.press('+');
  await page.keyboard.press('+');
  assert.equal(await level.innerText(), '156%');
  assert.match(await frame.getAttribute('aria-label'), /Before image of Tooth 11 \(FDI\), 156%/);
  await page.keyboard.press('ArrowRight');
  assert.match(await transform(), /^translate\(-\d+(\.\d+)?px, 0px\) scale\(1\.5625\)$/);
  await page.keyboard.press('0');
  assert.equal(await level.innerText(), '100%');

  const box = await frame.boundingBox();
  const centre = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  await page.mouse.move(centre.x + 50, centre.y);
  await page.mouse.wheel(0, -100);
  await level.getByText('125%').waitFor();
  await viewer.getByRole('button', { name: 'Fit' }).click();
  assert.equal(await level.innerText(), '100%');

  // Two fingers moving apart, as the tablet's touch screen sends them.
  const touch = await page.context().newCDPSession(page);
  const fingers = (spread) => [{ x: centre.x - spread, y: centre.y, id: 1 }, { x: centre.x + spread, y: centre.y, id: 2 }];
  await touch.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: fingers(40) });
  for (const spread of [60, 80, 100]) await touch.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: fingers(spread) });
  await touch.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await level.getByText('250%').waitFor();
  await touch.detach();
  await viewer.getByRole('button', { name: 'Zoom out' }).click();
  assert.equal(await level.innerText(), '200%');
  await viewer.screenshot({ path: path.join(artifacts, 'viewer-zoomed.png') });
  await viewer.getByRole('button', { name: 'Fit' }).click();

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
  await expectAccessible(page, 'before/after slider');
  await compare.screenshot({ path: path.join(artifacts, 'before-after-slider.png') });

  await compare.getByLabel('Side by side').check();
  const figures = compare.locator('.side-by-side img');
  await shown(compare.locator('.side-by-side'), 2);
  assert.equal(await figures.count(), 2);
  await expectAccessible(page, 'before/after side by side');
  await compare.screenshot({ path: path.join(artifacts, 'before-after-side-by-side.png') });
  await compare.getByRole('button', { name: 'Close' }).click();
});

test('a refused file shows the server\'s problem detail and nothing is stored', async () => {
  await page.getByTestId('file-input').setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not an image at all') });
  const status = uploadRow('notes.jpg').locator('.upload-status');
  await status.locator('text=/Unsupported file format/').waitFor();
  assert.match(await status.innerText(), /not a JPEG, PNG, TIFF, WebP, HEIC, AVIF or DICOM image/);
  assert.equal(await status.getAttribute('role'), 'alert');
  await expectAccessible(page, 'refused upload');
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
  await expectAccessible(page, 'viewer of a failed image');
  await page.keyboard.press('Escape');
});

test('an X-ray\'s preview says it is lossy and not for diagnosis, with the original one action away', async () => {
  await tooth('46').click();
  await page.locator('.upload select[name="type"]').selectOption('xray');
  await page.getByTestId('file-input').setInputFiles(await pngFile('bitewing.png', 150));
  await uploadRow('bitewing.png').locator('.upload-status', { hasText: 'previews ready' }).waitFor({ timeout: READY_TIMEOUT });
  await page.getByRole('region', { name: 'X-ray images' }).locator('button.thumbnail').first().click();
  const viewer = page.locator('dialog.viewer');
  await shown(viewer.locator('img.preview-large'));
  const notice = viewer.getByRole('note');
  assert.match(await notice.innerText(), /lossy JPEG of this X-ray, not for diagnosis/);
  const download = viewer.getByRole('button', { name: 'Download original' });
  assert.equal(await download.getAttribute('aria-describedby'), await notice.getAttribute('id'));
  await expectAccessible(page, 'X-ray viewer');
  await viewer.screenshot({ path: path.join(artifacts, 'viewer-xray.png') });
  await page.keyboard.press('Escape');
});

test('a photo stored sideways (EXIF orientation 6) is shown upright, with its upright size', async () => {
  const rotated = process.env.DENTAL_E2E_ROTATED_JPEG;
  assert.ok(rotated, 'DENTAL_E2E_ROTATED_JPEG names a JPEG stored 600×400 with EXIF orientation 6');
  await tooth('13').click();
  await page.locator('.upload select[name="type"]').selectOption('clinical');
  await page.getByTestId('file-input').setInputFiles({ name: 'sideways.jpg', mimeType: 'image/jpeg', buffer: readFileSync(rotated) });
  await uploadRow('sideways.jpg').locator('.upload-status', { hasText: 'previews ready' }).waitFor({ timeout: READY_TIMEOUT });
  await page.getByRole('region', { name: 'Clinical photo images' }).locator('button.thumbnail').first().click();
  const viewer = page.locator('dialog.viewer');
  const preview = viewer.locator('img.preview-large');
  await shown(preview);
  assert.deepEqual(await preview.evaluate((i) => [i.naturalWidth, i.naturalHeight]), [400, 600], 'portrait, as it was taken');
  assert.match(await viewer.getByTestId('original-size').innerText(), /^400×600,/);
  assert.equal(await viewer.getByTestId('shown-size').innerText(), '400×600 JPEG preview');
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

test('uploading the bytes of a deleted image says so and restores it instead of storing a copy', async () => {
  await page.getByRole('region', { name: 'After images' }).locator('button.thumbnail').first().click();
  const viewer = page.locator('dialog.viewer');
  await viewer.getByRole('button', { name: 'Delete' }).click();
  await viewer.getByRole('button', { name: 'Restore' }).waitFor();
  await page.keyboard.press('Escape');
  await chartSays('11', /1 image: 1 Before/);

  await page.getByTestId('file-input').setInputFiles({ ...afterFile, name: 'after-again.png' });
  const row = uploadRow('after-again.png');
  await row.locator('.upload-status', { hasText: 'Identical to a deleted image of this patient; nothing new was stored' }).waitFor();
  await row.getByRole('button', { name: 'Restore' }).click();
  await chartSays('11', /2 images: 1 Before, 1 After/);
  // Tooth 11's two, tooth 12's failed one, the X-ray of 46 and the photo of 13: no copy was stored.
  assert.equal(await page.getByTestId('patient-total').innerText(), '5 images in all');
});

/** Another person or an integration of the same clinic, calling the API directly with a development token. */
async function apiAs(role, sub) {
  const clinic = (await page.locator('.clinic').innerText()).replace('Clinic: ', '');
  const minted = await fetch(new URL('/dev/token', gateway), {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ role, sub, clinic }),
  });
  assert.equal(minted.status, 200);
  const { accessToken } = await minted.json();
  return (path, init = {}) => fetch(new URL(path, gateway), { ...init, headers: { ...init.headers, Authorization: `Bearer ${accessToken}` } });
}
/** Asks `probe` again until it answers something truthy or the deadline passes. */
async function eventually(probe, timeout = READY_TIMEOUT) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const answer = await probe();
    if (answer) return answer;
    assert.ok(Date.now() < deadline, 'the condition held before the deadline');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
const cardOf = (group) => page.getByRole('region', { name: `${group} images` }).locator('button.thumbnail').first();
const viewer = () => page.locator('dialog.viewer');
const editForm = () => viewer().getByRole('form', { name: 'Edit image' });
const imageUrl = (imageId) => `/api/v1/patients/${patientId}/images/${imageId}`;

test('a clinician tags an image and writes a note, and the tag chips filter the tooth\'s images', async () => {
  await tooth('11').click();
  await cardOf('Before').click();
  await viewer().getByRole('button', { name: 'Edit' }).click();
  await editForm().getByLabel('Tags').fill('Caries, recall');
  await editForm().getByLabel('Note').fill('Mesial shadow, recheck in 6 months');
  await editForm().getByRole('button', { name: 'Save' }).click();

  const tags = viewer().getByRole('list', { name: 'Tags' });
  await tags.waitFor();
  assert.deepEqual(await tags.locator('li').allInnerTexts(), ['caries', 'recall']);
  assert.match(await viewer().locator('.metadata').innerText(), /Mesial shadow, recheck in 6 months/);
  assert.equal(await viewer().locator('.image-history summary').innerText(), 'History (2 changes)');
  await page.keyboard.press('Escape');

  const filter = page.getByRole('group', { name: 'Filter by tag' });
  await filter.getByRole('button', { name: 'caries' }).click();
  await page.getByRole('region', { name: 'After images' }).waitFor({ state: 'detached' });
  assert.equal(await page.getByRole('region', { name: 'Before images' }).count(), 1);
  assert.equal(await filter.getByRole('button', { name: 'caries' }).getAttribute('aria-pressed'), 'true');
  await filter.getByRole('button', { name: 'Show all' }).click();
  await page.getByRole('region', { name: 'After images' }).waitFor();
});

test('an edit that crosses someone else\'s is told so, shows their version, and saves on the second try', async () => {
  const imageId = await cardOf('Before').getAttribute('data-image-id');
  await cardOf('Before').click();
  await viewer().getByRole('button', { name: 'Edit' }).click();
  const note = editForm().getByLabel('Note');
  await note.fill('Distal caries');

  // Meanwhile a colleague changes the note (read, then patch with the version read).
  const colleague = await apiAs('clinician', 'dr-colleague');
  const read = await colleague(imageUrl(imageId));
  const patched = await colleague(imageUrl(imageId), {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': read.headers.get('etag') },
    body: JSON.stringify({ note: 'Changed at the front desk' }),
  });
  assert.equal(patched.status, 200);

  await editForm().getByRole('button', { name: 'Save' }).click();
  await viewer().getByRole('alert').filter({ hasText: 'Someone changed this image while you were editing it' }).waitFor();
  await expectAccessible(page, 'edit conflict');
  assert.deepEqual(await smallTargets(viewer()), []);
  assert.equal(await note.inputValue(), 'Changed at the front desk', 'the form shows the colleague\'s version, nothing was overwritten');
  assert.equal(await viewer().locator('.image-history summary').innerText(), 'History (3 changes)');
  await viewer().screenshot({ path: path.join(artifacts, 'edit-conflict.png') });

  await note.fill('Distal caries');
  await editForm().getByRole('button', { name: 'Save' }).click();
  await viewer().locator('.metadata', { hasText: 'Distal caries' }).waitFor();
  await viewer().locator('.image-history summary').click();
  const history = await viewer().locator('.image-history li').allInnerTexts();
  assert.equal(history.length, 4);
  assert.match(history[0], /dr-e2e · Note: changed/);
  assert.match(history[1], /dr-colleague · Note: changed/);
  await page.keyboard.press('Escape');
});

test('a mislabelled image is corrected to another tooth and type, and the chart follows', async () => {
  await cardOf('After').click();
  await viewer().getByRole('button', { name: 'Edit' }).click();
  await editForm().getByLabel('Tooth').selectOption('21');
  await editForm().getByLabel('Type').selectOption('clinical');
  await editForm().getByRole('button', { name: 'Save' }).click();
  await viewer().getByRole('heading', { name: 'Clinical photo · Tooth 21 (FDI)' }).waitFor();
  await page.keyboard.press('Escape');

  await chartSays('11', /1 image: 1 Before/);
  await chartSays('21', /1 image: 1 Clinical photo/);
  await tooth('21').click();
  await shown(page.getByRole('region', { name: 'Clinical photo images' }).locator('img.preview-small'));
});

test('a model\'s heatmap is shown instead of its original and laid over it at the opacity chosen', async () => {
  await tooth('11').click();
  const imageId = await cardOf('Before').getAttribute('data-image-id');
  const heatmap = await pngFile('heatmap.png', 330);
  const form = new FormData();
  form.append('kind', 'heatmap');
  form.append('model', 'caries-net');
  form.append('modelVersion', '2.1');
  form.append('file', new Blob([heatmap.buffer], { type: 'image/png' }), 'heatmap.png');
  const integration = await apiAs('service', 'caries-net');
  const uploaded = await integration(`${imageUrl(imageId)}/variants`, { method: 'POST', body: form });
  assert.equal(uploaded.status, 201);
  const variantId = (await uploaded.json()).items[0].id;
  await eventually(async () => (await (await integration(imageUrl(variantId))).json()).status === 'ready');

  // The tooth's list is read again when the tooth is chosen again.
  await tooth('12').click();
  await tooth('11').click();
  await page.getByRole('region', { name: 'Before images' }).locator('button.thumbnail', { hasText: '+1 variant' }).click();
  await viewer().getByLabel('Heatmap by caries-net 2.1').check();
  const variant = viewer().locator('.viewer-image img.preview-variant');
  await shown(variant);
  assert.equal(await variant.getAttribute('alt'), 'Heatmap by caries-net 2.1 of the Before image of Tooth 11 (FDI)');

  await viewer().getByLabel('Over the original').check();
  const overlay = viewer().getByTestId('variant-overlay');
  await shown(overlay, 2);
  const opacity = () => overlay.locator('.overlay-layer').evaluate((layer) => layer.style.opacity);
  assert.equal(await opacity(), '0.5');
  await viewer().getByRole('slider', { name: 'Opacity' }).focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
  assert.equal(await opacity(), '0.3');
  await expectAccessible(page, 'variant over its original');
  assert.deepEqual(await smallTargets(viewer()), []);
  await viewer().screenshot({ path: path.join(artifacts, 'variant-overlay.png') });

  await viewer().getByLabel('Original', { exact: true }).check();
  await shown(viewer().locator('.viewer-image img.preview-large, .viewer-image img.preview-medium'));
  await page.keyboard.press('Escape');
  await viewer().waitFor({ state: 'detached' });
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
  await expectAccessible(page, 'chart in Universal with primary teeth');
  assert.deepEqual(await smallTargets(page.locator('.chart')), []);
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
  await records.locator('tbody tr', { hasText: 'Restore image' }).first().waitFor();
  // The trail is paged, newest first: read back to the patient's first record.
  const older = page.getByRole('button', { name: 'Show older records' });
  while (await older.isVisible()) {
    const read = await records.locator('tbody tr').count();
    await older.click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="audit-records"] tbody tr').length > n, read);
  }
  const rows = await records.locator('tbody tr').allInnerTexts();
  for (const action of ['Upload', 'Delete image', 'Restore image', 'Edit image', 'View preview', 'Download original', 'Export patient']) {
    assert.ok(rows.some((row) => row.includes(action) && row.includes('dr-e2e')), `a record of "${action}" by dr-e2e`);
  }
  assert.ok(rows.every((row) => row.includes(patientId)), 'only the patient asked for');
  const report = page.getByTestId('access-report');
  await report.locator('tbody tr', { hasText: 'dr-e2e' }).waitFor();
  await expectAccessible(page, 'audit trail');
  await page.screenshot({ path: path.join(artifacts, 'audit.png'), fullPage: true });
  await page.getByRole('button', { name: 'Back to images' }).click();
});

test('nothing on the page broke or was blocked by its security policy', () => {
  assert.deepEqual(pageProblems, []);
});
