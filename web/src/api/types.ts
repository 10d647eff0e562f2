/** The public API's shapes and the web client's words for them. */
import type { components } from './schema';

export type ImageType = components['schemas']['ImageResource']['type'];
export const IMAGE_TYPES: readonly ImageType[] = ['before', 'after', 'xray', 'clinical', 'other'];

export const IMAGE_TYPE_LABELS: Record<ImageType, string> = {
  before: 'Before',
  after: 'After',
  xray: 'X-ray',
  clinical: 'Clinical photo',
  other: 'Other',
};

export type ImageStatus = NonNullable<ImageResource['status']>;
export type PreviewSize = 'small' | 'medium' | 'large';

/** The rendition a viewer shows: `large` (it comes with "ready"; an image stored before it existed gets it from repair), else `medium`; never the original. */
export const viewingSize = (image: Pick<ImageResource, 'previews'>): PreviewSize => (image.previews?.large ? 'large' : 'medium');

/* The API's shapes are generated from its OpenAPI document (schema.d.ts, by scripts/generate-api-clients.sh). */
export type ImageResource = components['schemas']['ImageResource'];
export type Preview = components['schemas']['PreviewResource'];
export type ImagePatch = components['schemas']['ImagePatch'];
export type ImageChange = components['schemas']['ImageChange'];
export type VariantSummary = components['schemas']['VariantSummary'];
export type ImagePage = components['schemas']['ImagePage'];
export type PatientSummary = components['schemas']['PatientSummary'];
export type RecentPatient = components['schemas']['RecentPatient'];
export type UploadResponse = components['schemas']['UploadResponse'];
export type AuditRecord = components['schemas']['AuditRecord'];
export type AuditPage = components['schemas']['AuditPage'];
export type AccessReport = components['schemas']['AccessReport'];

/** How the viewer names a variant's kind (the API's VariantKind). */
export const VARIANT_KIND_LABELS: Record<string, string> = {
  annotated: 'Annotated',
  heatmap: 'Heatmap',
  segmentation: 'Segmentation',
  other: 'Other variant',
};

/** How the audit view names each recorded action (what was asked; the outcome column says how it ended). */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'patients.recent': 'List recent patients',
  'images.list': 'List images',
  'image.read': 'Read image details',
  'chart.read': 'Read dental chart',
  'image.content': 'Download original',
  'image.preview': 'View preview',
  'images.upload': 'Upload',
  'image.delete': 'Delete image',
  'image.restore': 'Restore image',
  'image.update': 'Edit image',
  'patient.erase': 'Erase patient',
  'patient.erasure-receipt': 'Read erasure receipt',
  'patient.export': 'Export patient',
  'image.retention-purge': 'Retention purge',
  'audit.read': 'Read audit trail',
  'audit.access-report': 'Read access report',
  'request.refused': 'Refused',
};

/** A problem detail as the API sends it: the documented fields plus its extensions (field, traceId). */
export type ProblemDetails = components['schemas']['ProblemDetails'] & { field?: string; traceId?: string };
