import * as tus from 'tus-js-client';
import { ApiError, parseProblem } from '../api/problem';
import type { ImageType } from '../api/types';

/** Chunks of 5 MB: one request each, so a broken connection costs at most one chunk. */
export const CHUNK_BYTES = 5 * 1024 * 1024;

export interface UploadTarget {
  patientId: string;
  /** Canonical FDI tooth or region; the client always sends FDI and shows the chosen notation. */
  tooth: string;
  type: ImageType;
}

export interface UploadHandlers {
  onProgress: (fraction: number) => void;
  /** The image the upload became (a new one, or the one already stored with the same bytes). */
  onStored: (imageId: string, duplicate: boolean) => void;
  onFailed: (error: ApiError) => void;
}

export interface RunningUpload {
  pause: () => void;
  resume: () => void;
}

/**
 * Uploads one file with tus (resumable): retried from where it stopped after a lost connection, and — because tus-js-client
 * remembers the upload in this browser — resumed after a page reload when the same file is chosen again for the same
 * patient, tooth and type.
 */
export function startResumableUpload(target: UploadTarget, file: File, authorization: () => string, handlers: UploadHandlers): RunningUpload {
  const upload = new tus.Upload(file, {
    endpoint: `/api/v1/patients/${encodeURIComponent(target.patientId)}/uploads`,
    chunkSize: CHUNK_BYTES,
    retryDelays: [0, 1000, 3000, 5000, 10000, 20000],
    metadata: { tooth: target.tooth, type: target.type, notation: 'fdi', filename: file.name },
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    // The same file for another patient, tooth or type is another upload.
    fingerprint: (f: File) => Promise.resolve(['dental', target.patientId, target.tooth, target.type, f.name, f.size, f.lastModified].join('/')),
    onBeforeRequest: (request) => request.setHeader('Authorization', authorization()),
    onProgress: (sent, total) => handlers.onProgress(total > 0 ? sent / total : 0),
    onSuccess: ({ lastResponse }) => {
      const location = lastResponse.getHeader('Image-Location') ?? '';
      handlers.onStored(location.slice(location.lastIndexOf('/') + 1), lastResponse.getHeader('Image-Duplicate') === 'true');
    },
    onError: (error) => handlers.onFailed(toApiError(error)),
  });

  void upload.findPreviousUploads().then((previous) => {
    if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
    upload.start();
  });
  return { pause: () => void upload.abort(), resume: () => upload.start() };
}

function toApiError(error: Error): ApiError {
  const response = error instanceof tus.DetailedError ? error.originalResponse : null;
  if (response && response.getStatus() > 0) {
    return new ApiError(response.getStatus(), parseProblem(response.getHeader('Content-Type') ?? null, response.getBody() ?? ''));
  }
  return new ApiError(0, { title: 'The upload was interrupted', detail: 'Check the connection and retry: it goes on from where it stopped.' });
}
