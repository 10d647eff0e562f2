/** The public API's shapes (shared/API.md). */
export const IMAGE_TYPES = ['before', 'after', 'xray', 'clinical', 'other'] as const;
export type ImageType = (typeof IMAGE_TYPES)[number];

export const IMAGE_TYPE_LABELS: Record<ImageType, string> = {
  before: 'Before',
  after: 'After',
  xray: 'X-ray',
  clinical: 'Clinical photo',
  other: 'Other',
};

export type ImageStatus = 'processing' | 'ready' | 'failed' | 'deleted';
export type PreviewSize = 'small' | 'medium';

export interface Preview {
  width: number;
  height: number;
  sizeBytes: number;
}

export interface ImageResource {
  id: string;
  patientId: string;
  tooth: string;
  notation: string;
  type: ImageType;
  status: ImageStatus;
  failureReason: string | null;
  contentType: string;
  sizeBytes: number;
  width: number;
  height: number;
  originalFileName: string | null;
  previews: Partial<Record<PreviewSize, Preview>> | null;
  uploadedAt: string;
  uploadedBy: string;
  takenAt: string | null;
  note: string | null;
  duplicate?: boolean;
}

export interface ImagePage {
  items: ImageResource[];
  continuationToken: string | null;
}

export interface PatientSummary {
  patientId: string;
  total: number;
  /** tooth or region → type → count */
  teeth: Record<string, Partial<Record<ImageType, number>>>;
  lastUploadAt: string | null;
}

export interface ProblemDetails {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  field?: string;
  traceId?: string;
}
