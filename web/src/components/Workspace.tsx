import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiClient } from '../api/client';
import type { PatientSummary } from '../api/types';
import { canAudit, canExport, canUpload, type Session } from '../auth/session';
import type { Notation } from '../teeth/numbering';
import { usePatientRoute } from '../usePatientRoute';
import { AuditView } from './AuditView';
import { DentalChart } from './DentalChart';
import { ImagePanel } from './ImagePanel';
import { PatientPicker } from './PatientPicker';
import { UploadPanel } from './UploadPanel';

interface Props {
  session: Session;
  onSessionEnded: (notice: string) => void;
}

const NOTATION_KEY = 'dental.notation';

export function Workspace({ session, onSessionEnded }: Props) {
  const api = useMemo(() => new ApiClient(() => session.accessToken, () => onSessionEnded('Your session has ended; sign in again.')), [session, onSessionEnded]);
  const [patientId, openPatient] = usePatientRoute();
  const [notation, setNotation] = useState<Notation>(() => (localStorage.getItem(NOTATION_KEY) === 'universal' ? 'universal' : 'fdi'));
  const [showPrimary, setShowPrimary] = useState(false);
  const [target, setTarget] = useState<string | null>(null);
  const [summary, setSummary] = useState<PatientSummary | null>(null);
  const [summaryError, setSummaryError] = useState<string | null>(null);
  const [changes, setChanges] = useState(0);
  const [auditing, setAuditing] = useState(false);
  const [exporting, setExporting] = useState<'idle' | 'busy' | 'done'>('idle');
  const [exportError, setExportError] = useState<string | null>(null);
  const onChanged = useCallback(() => setChanges((n) => n + 1), []);

  useEffect(() => {
    setTarget(null);
    setSummary(null);
    setExporting('idle');
    setExportError(null);
  }, [patientId]);

  const exportPatient = async (id: string) => {
    setExporting('busy');
    setExportError(null);
    try {
      await api.exportPatient(id);
      setExporting('done');
    } catch (e) {
      setExporting('idle');
      setExportError(e instanceof Error ? e.message : String(e));
    }
  };

  useEffect(() => {
    if (!patientId) return;
    let current = true;
    api.summary(patientId)
      .then((s) => { if (current) { setSummary(s); setSummaryError(null); } })
      .catch((e: unknown) => current && setSummaryError(e instanceof Error ? e.message : String(e)));
    return () => { current = false; };
  }, [api, patientId, changes]);

  const chooseNotation = (value: Notation) => {
    localStorage.setItem(NOTATION_KEY, value);
    setNotation(value);
  };

  return (
    <div className="workspace">
      <header className="top-bar">
        <h1>Dental images</h1>
        {patientId && (
          <p className="patient">
            Patient <code data-testid="patient-id">{patientId}</code>
            <button type="button" className="link" onClick={() => openPatient(null)}>Change patient</button>
          </p>
        )}
        <fieldset className="inline notation">
          <legend>Numbering</legend>
          <label className="inline"><input type="radio" name="notation" checked={notation === 'fdi'} onChange={() => chooseNotation('fdi')} /> FDI</label>
          <label className="inline"><input type="radio" name="notation" checked={notation === 'universal'} onChange={() => chooseNotation('universal')} /> Universal</label>
        </fieldset>
        <label className="inline"><input type="checkbox" checked={showPrimary} onChange={(e) => setShowPrimary(e.target.checked)} /> Primary teeth</label>
        <p className="user">
          {session.subject} <span className="muted">({session.roles.join(', ') || 'no role'})</span>
          {' · '}<span className="clinic">Clinic: {session.clinic ?? 'none'}</span>
        </p>
        {canAudit(session) && !auditing && <button type="button" className="secondary" onClick={() => setAuditing(true)}>Audit trail</button>}
        <button type="button" className="secondary" onClick={session.signOut}>Sign out</button>
      </header>
      <main>
        {auditing ? (
          <AuditView api={api} patientId={patientId} onClose={() => setAuditing(false)} />
        ) : !patientId ? (
          <PatientPicker api={api} onOpen={openPatient} />
        ) : (
          <div className="patient-view">
            <div className="chart-column">
              {summaryError && <p className="error" role="alert">{summaryError}</p>}
              <DentalChart summary={summary} notation={notation} showPrimary={showPrimary} selected={target} onSelect={setTarget} />
              <p className="muted" data-testid="patient-total">{summary ? `${summary.total} image${summary.total === 1 ? '' : 's'} in all` : 'Loading…'}</p>
              {canExport(session) && summary && summary.total > 0 && (
                <p className="export">
                  <button type="button" className="secondary" disabled={exporting === 'busy'} onClick={() => void exportPatient(patientId)}>
                    {exporting === 'busy' ? 'Preparing export…' : 'Export patient (zip)'}
                  </button>
                  <span role="status" className="muted">{exporting === 'done' ? ' Export saved: originals, previews, metadata and a SHA-256 manifest.' : ''}</span>
                  {exportError && <span className="error" role="alert"> {exportError}</span>}
                </p>
              )}
            </div>
            <div className="detail-column">
              {canUpload(session) && <UploadPanel api={api} patientId={patientId} target={target} notation={notation} onChanged={onChanged} />}
              {target ? (
                <ImagePanel api={api} session={session} patientId={patientId} target={target} notation={notation} changes={changes} onChanged={onChanged} />
              ) : (
                <p className="hint">Select a tooth or a region on the chart to see its images{canUpload(session) ? ' and to upload' : ''}.</p>
              )}
            </div>
          </div>
        )}
      </main>
    </div>
  );
}
