import type { PatientSummary } from '../api/types';
import { IMAGE_TYPE_LABELS } from '../api/types';
import { countsFor } from '../images/grouping';
import { chartRows, REGIONS, toothLabel, toothName, type Notation } from '../teeth/numbering';
import { TYPE_MARKS } from './typeMarks';

interface Props {
  summary: PatientSummary | null;
  notation: Notation;
  showPrimary: boolean;
  selected: string | null;
  onSelect: (code: string) => void;
}

export function DentalChart({ summary, notation, showPrimary, selected, onSelect }: Props) {
  const target = (code: string, label: string, className: string) => {
    const counts = countsFor(summary, code);
    const description = counts.total === 0
      ? 'no images'
      : `${counts.total} image${counts.total === 1 ? '' : 's'}: ${counts.byType.map((c) => `${c.count} ${IMAGE_TYPE_LABELS[c.type]}`).join(', ')}`;
    const marks = counts.byType.map((c) => `${TYPE_MARKS[c.type]}${c.count}`);
    // The name starts with what the button shows ("11 B1 A1", WCAG 2.5.3), then says it in words.
    const shown = [label, ...marks].join(' ');
    const name = className === 'tooth' ? `${shown}, ${toothName(code, notation)}, ${description}` : `${shown}, ${description}`;
    return (
      <button
        key={code}
        type="button"
        className={`${className}${selected === code ? ' selected' : ''}${counts.total > 0 ? ' has-images' : ''}`}
        aria-pressed={selected === code}
        aria-label={name}
        data-code={code}
        onClick={() => onSelect(code)}
      >
        <span className="target-label">{label}</span>{' '}
        <span className="counts">
          {counts.byType.map((c, i) => (
            <span key={c.type} className={`count type-${c.type}`}>{i > 0 ? ' ' : ''}{marks[i]}</span>
          ))}
        </span>
      </button>
    );
  };

  return (
    <section className="chart" aria-label="Dental chart">
      <div className="regions" role="group" aria-label="Regions">
        {REGIONS.map((r) => target(r.code, r.label, 'region'))}
      </div>
      {chartRows(showPrimary).map((row) => (
        <div key={`${row.arch}-${row.dentition}`} className={`arch ${row.arch} ${row.dentition}`} role="group"
          aria-label={`${row.arch === 'upper' ? 'Upper' : 'Lower'} ${row.dentition} teeth`}>
          {row.teeth.map((code) => target(code, toothLabel(code, notation), 'tooth'))}
        </div>
      ))}
      <p className="legend" aria-hidden="true">
        {Object.entries(TYPE_MARKS).map(([type, mark]) => (
          <span key={type} className={`count type-${type}`}>{mark} {IMAGE_TYPE_LABELS[type as keyof typeof TYPE_MARKS]}</span>
        ))}
      </p>
    </section>
  );
}
