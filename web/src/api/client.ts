import { ApiError, parseProblem } from './problem';
import type { AccessReport, AuditPage, ImagePage, ImagePatch, ImageResource, PatientSummary, RecentPatient } from './types';

export interface AuditFilter {
  patientId?: string;
  actor?: string;
  action?: string;
}

export interface ListOptions {
  tooth?: string;
  /** Every one must match. */
  tags?: readonly string[];
  continuationToken?: string | null;
  includeDeleted?: boolean;
}

export interface VersionedImage {
  image: ImageResource;
  etag: string;
}

const patientPath = (patientId: string) => `/api/v1/patients/${encodeURIComponent(patientId)}`;
export const imagePath = (patientId: string, imageId: string) => `${patientPath(patientId)}/images/${encodeURIComponent(imageId)}`;

/** The public API through the gateway, with the signed-in user's bearer token on every call. */
export class ApiClient {
  constructor(
    private readonly accessToken: () => string,
    private readonly onUnauthorized: () => void,
  ) {}

  /** The clinic's most recently active patients (last upload or change), newest first, from the catalog. */
  async recentPatients(count = 20): Promise<RecentPatient[]> {
    return (await this.json<{ items: RecentPatient[] }>(`/api/v1/patients?count=${count}`)).items;
  }

  summary(patientId: string): Promise<PatientSummary> {
    return this.json(`${patientPath(patientId)}/summary`);
  }

  list(patientId: string, options: ListOptions = {}): Promise<ImagePage> {
    const query = new URLSearchParams({ pageSize: '100' });
    if (options.tooth) query.set('tooth', options.tooth);
    for (const tag of options.tags ?? []) query.append('tag', tag);
    if (options.continuationToken) query.set('continuationToken', options.continuationToken);
    if (options.includeDeleted) query.set('includeDeleted', 'true');
    return this.json(`${patientPath(patientId)}/images?${query}`);
  }

  image(patientId: string, imageId: string): Promise<ImageResource> {
    return this.json(imagePath(patientId, imageId));
  }

  /** The image with its version (ETag), which an edit must send back. */
  async versionedImage(patientId: string, imageId: string): Promise<VersionedImage> {
    return this.versioned(await this.send(imagePath(patientId, imageId)));
  }

  /** A JSON merge patch guarded by If-Match: 412 (an ApiError) when someone changed the image since `etag` was read. */
  async edit(patientId: string, imageId: string, patch: Partial<ImagePatch>, etag: string): Promise<VersionedImage> {
    return this.versioned(await this.send(imagePath(patientId, imageId), {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json', 'If-Match': etag },
      body: JSON.stringify(patch),
    }));
  }

  async remove(patientId: string, imageId: string): Promise<void> {
    await this.send(imagePath(patientId, imageId), { method: 'DELETE' });
  }

  restore(patientId: string, imageId: string): Promise<ImageResource> {
    return this.json(`${imagePath(patientId, imageId)}/restore`, { method: 'POST' });
  }

  /** The clinic's audit trail, newest first (auditors and admins). */
  audit(filter: AuditFilter, continuationToken?: string | null): Promise<AuditPage> {
    const query = new URLSearchParams({ pageSize: '50' });
    for (const [key, value] of Object.entries(filter)) if (value) query.set(key, value);
    if (continuationToken) query.set('continuationToken', continuationToken);
    return this.json(`/api/v1/audit?${query}`);
  }

  accessReport(patientId: string): Promise<AccessReport> {
    return this.json(`${patientPath(patientId)}/access-report`);
  }

  /** Saves what <paramref name="path"/> answers as a file: downloads need the bearer token, so a plain link cannot fetch them. */
  async saveAs(path: string, fileName: string): Promise<void> {
    const url = await this.objectUrl(path);
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  /** The patient's zip (originals, previews, metadata, a SHA-256 manifest). */
  exportPatient(patientId: string): Promise<void> {
    return this.saveAs(`${patientPath(patientId)}/export`, `patient-${patientId}.zip`);
  }

  /** Bytes (a preview or the original) as an object URL: images need the bearer token, so an <img src> cannot fetch them. */
  async objectUrl(path: string, signal?: AbortSignal): Promise<string> {
    const response = await this.send(path, { signal });
    return URL.createObjectURL(await response.blob());
  }

  /** The Authorization header's value, for requests this client does not make itself (resumable uploads). */
  authorization(): string {
    return `Bearer ${this.accessToken()}`;
  }

  private async versioned(response: Response): Promise<VersionedImage> {
    const etag = response.headers.get('ETag');
    if (!etag) throw new Error('The image came without its version (ETag).');
    return { image: (await response.json()) as ImageResource, etag };
  }

  private async json<T>(path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }

  private async send(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('Authorization', `Bearer ${this.accessToken()}`);
    const response = await fetch(path, { ...init, headers });
    if (response.ok) return response;
    if (response.status === 401) this.onUnauthorized();
    throw new ApiError(response.status, parseProblem(response.headers.get('Content-Type'), await response.text()));
  }
}
