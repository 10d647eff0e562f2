// Sign-in outside Development: the web client against a stack whose gateway and services trust an
// OpenID Connect provider (DENTAL_OIDC_AUTHORITY; Entra ID in Azure, a local stand-in in tests).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { expectAccessible, gateway, openTablet, pngFile, storedState } from './browser.mjs';

const authority = process.env.DENTAL_OIDC_AUTHORITY;
const user = process.env.DENTAL_OIDC_USER;

let browser;
let page;
let problems;

before(async () => {
  assert.ok(authority && user, 'DENTAL_OIDC_AUTHORITY and DENTAL_OIDC_USER are set');
  ({ browser, page, problems } = await openTablet());
});

after(async () => {
  await browser?.close();
});

test('there is no development token here, only the organisation sign-in', async () => {
  const devToken = await fetch(`${gateway}/dev/token`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"role":"admin"}' });
  assert.notEqual(devToken.status, 200);
  await page.goto(gateway);
  await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
  assert.equal(await page.getByLabel('Role').count(), 0);
  await expectAccessible(page, 'organisation sign-in');
});

test('signs in through the provider with the code flow and PKCE and comes back signed in', async () => {
  const authorize = page.waitForRequest((r) => r.url().startsWith(`${authority}/authorize`));
  await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
  const request = new URL((await authorize).url());
  assert.equal(request.searchParams.get('response_type'), 'code');
  assert.equal(request.searchParams.get('code_challenge_method'), 'S256');
  assert.match(request.searchParams.get('scope'), /api:\/\/dental\/\.default/);

  await page.locator('.user', { hasText: user }).waitFor();
  assert.match(await page.locator('.user').innerText(), /clinician/);
  assert.equal(new URL(page.url()).search, '', 'the code and state are gone from the address');
  assert.ok(!(await storedState(page)).includes('eyJ'), 'no token is kept in the browser\'s storage');
});

test('the API accepts the provider\'s token: the chart loads and an upload is stored and processed', async () => {
  await page.getByLabel('Patient id').fill(randomUUID());
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await page.getByTestId('patient-total').locator('text=0 images in all').waitFor();

  await page.locator('.chart button[data-code="36"]').click();
  await page.locator('.upload select[name="type"]').selectOption('xray');
  await page.getByTestId('file-input').setInputFiles(await pngFile(page, 'bitewing.png', 120));
  await page.locator('.upload-item[data-file="bitewing.png"] .upload-status', { hasText: 'previews ready' }).waitFor({ timeout: 90_000 });
  // The chart counts come from the patient summary, written just after the image's document: wait for it.
  await page.locator('.chart button[data-code="36"][aria-label*="1 image: 1 X-ray"]').waitFor({ timeout: 30_000 });
});

test('signing out leaves through the provider and back to the sign-in page', async () => {
  const logout = page.waitForRequest((r) => r.url().startsWith(`${authority}/logout`));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await logout;
  await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
  assert.deepEqual(problems, []);
});
