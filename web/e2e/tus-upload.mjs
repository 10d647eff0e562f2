// Uploads one file with the real tus-js-client (Node), as a phone app would: resumable, retried after any cut.
// Used by the integration tests; prints one JSON line with the outcome.
// Environment: DENTAL_TUS_ENDPOINT, DENTAL_TOKEN, DENTAL_FILE, DENTAL_CHUNK_BYTES, DENTAL_METADATA (JSON object).
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import * as tus from 'tus-js-client';

const env = (name) => process.env[name] ?? (() => { throw new Error(`${name} is not set`); })();
const file = await readFile(env('DENTAL_FILE'));
let retries = 0;

const outcome = await new Promise((resolve, reject) => {
  const upload = new tus.Upload(file, {
    endpoint: env('DENTAL_TUS_ENDPOINT'),
    chunkSize: Number(env('DENTAL_CHUNK_BYTES')),
    retryDelays: Array(20).fill(50),
    headers: { Authorization: `Bearer ${env('DENTAL_TOKEN')}` },
    metadata: { ...JSON.parse(env('DENTAL_METADATA')), filename: basename(env('DENTAL_FILE')) },
    // tus-js-client's own rule (retry unless a 4xx other than 409 and 423), counted.
    onShouldRetry: (error) => {
      const status = error.originalResponse?.getStatus() ?? 0;
      const retry = !(status >= 400 && status < 500 && status !== 409 && status !== 423);
      if (retry) retries++;
      return retry;
    },
    onError: reject,
    onSuccess: ({ lastResponse }) => resolve({
      imageLocation: lastResponse.getHeader('Image-Location'),
      duplicate: lastResponse.getHeader('Image-Duplicate') === 'true',
      uploadUrl: upload.url,
      retries,
    }),
  });
  upload.start();
});

console.log(JSON.stringify(outcome));
