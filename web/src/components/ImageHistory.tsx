import type { ImageChange } from '../api/types';

const FIELD_LABELS: Record<string, string> = { tooth: 'Tooth', notation: 'Numbering', type: 'Type', takenAt: 'Taken', tags: 'Tags', note: 'Note' };

const fieldLabel = (field: string) => FIELD_LABELS[field] ?? (field.startsWith('metadata.') ? `Metadata ${field.slice('metadata.'.length)}` : field);
const value = (text: string | null) => (text ? text : '(none)');
/** Free text (a note, metadata) is not repeated in the history: it says only that it changed. */
const change = (c: ImageChange) => (c.from === null && c.to === null ? 'changed' : `${value(c.from)} → ${value(c.to)}`);

/** Who changed what on an image, newest first: corrections are part of a clinical record. */
export function ImageHistory({ changes }: { changes: readonly ImageChange[] }) {
  return (
    <details className="image-history">
      <summary>History ({changes.length} change{changes.length === 1 ? '' : 's'})</summary>
      <ol>
        {[...changes].reverse().map((c, i) => (
          <li key={`${c.at}-${c.field}-${i}`}>
            <time dateTime={c.at}>{new Date(c.at).toLocaleString()}</time> · {c.by} · {fieldLabel(c.field)}: {change(c)}
          </li>
        ))}
      </ol>
    </details>
  );
}
