import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import type { ApiClient, AuditFilter } from '../api/client';
import { AUDIT_ACTION_LABELS, type AccessReport, type AuditRecord } from '../api/types';
import { isValidPatientId } from '../patients/patientId';

interface Props {
  api: ApiClient;
  /** Opens filtered to this patient (the patient on screen), with its access report. */
  patientId: string | null;
  onClose: () => void;
}

const time = (iso: string) => new Date(iso).toLocaleString();

/** The clinic's audit trail for auditors and admins: who did what to which patient's images, and the refusals. */
export function AuditView({ api, patientId, onClose }: Props) {
  const [filter, setFilter] = useState<AuditFilter>({ patientId: patientId ?? undefined });
  const [records, setRecords] = useState<AuditRecord[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [report, setReport] = useState<AccessReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  // A filter's first page makes every answer asked before it stale: a late one must not replace or extend its records.
  const generation = useRef(0);

  const load = useCallback(async (f: AuditFilter, token: string | null) => {
    const asked = token ? generation.current : ++generation.current;
    setLoading(true);
    try {
      const page = await api.audit(f, token);
      if (asked !== generation.current) return;
      setRecords((current) => (token ? [...current, ...page.items] : page.items));
      setNext(page.continuationToken ?? null);
      setError(null);
    } catch (e) {
      if (asked === generation.current) setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (asked === generation.current) setLoading(false);
    }
  }, [api]);

  useEffect(() => {
    void load(filter, null);
    setReport(null);
    if (filter.patientId) {
      api.accessReport(filter.patientId).then(setReport).catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
    }
  }, [api, filter, load]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const patient = String(form.get('patientId') ?? '').trim();
    if (patient && !isValidPatientId(patient)) {
      setError('A patient id is 1–64 letters, digits or hyphens.');
      return;
    }
    setFilter({ patientId: patient || undefined, actor: String(form.get('actor') ?? '').trim() || undefined, action: String(form.get('action') ?? '') || undefined });
  };

  return (
    <section className="audit-view" aria-labelledby="audit-title">
      <div className="audit-heading">
        <h2 id="audit-title">Audit trail</h2>
        <button type="button" className="secondary" onClick={onClose}>Back to images</button>
      </div>
      <form className="audit-filter" onSubmit={submit}>
        <label>Patient id<input name="patientId" defaultValue={filter.patientId} autoComplete="off" spellCheck={false} /></label>
        <label>User id<input name="actor" defaultValue={filter.actor} autoComplete="off" spellCheck={false} /></label>
        <label>
          Action
          <select name="action" defaultValue={filter.action ?? ''}>
            <option value="">Any</option>
            {Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <button type="submit">Show</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {report && (
        <section aria-labelledby="access-report-title">
          <h3 id="access-report-title">Who saw patient <code>{report.patientId}</code></h3>
          {report.accesses.length === 0 ? <p className="muted">Nobody read this patient's images in the last 90 days.</p> : (
            <table className="audit-table" data-testid="access-report">
              <thead><tr><th scope="col">User</th><th scope="col">Role</th><th scope="col">Reads</th><th scope="col">Images</th><th scope="col">First</th><th scope="col">Last</th></tr></thead>
              <tbody>
                {report.accesses.map((a) => (
                  <tr key={`${a.actor}|${a.role}`}>
                    <td>{a.actor ?? 'unknown'}</td><td>{a.role ?? '—'}</td><td>{a.count}</td><td>{a.imageIds.length}</td><td>{time(a.firstAt)}</td><td>{time(a.lastAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      <section aria-labelledby="records-title">
        <h3 id="records-title">Records, newest first</h3>
        <table className="audit-table" data-testid="audit-records">
          <thead>
            <tr><th scope="col">Time</th><th scope="col">User</th><th scope="col">Role</th><th scope="col">Action</th><th scope="col">Patient</th><th scope="col">Images</th><th scope="col">Outcome</th><th scope="col">From</th></tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id}>
                <td>{time(r.time)}</td>
                <td>{r.actor ?? 'anonymous'}</td>
                <td>{r.role ?? '—'}</td>
                <td>{AUDIT_ACTION_LABELS[r.action] ?? r.action}{r.count > 1 ? ` ×${r.count}` : ''}</td>
                <td>{r.patientId ? <code>{r.patientId}</code> : '—'}</td>
                <td>{r.imageIds.length || '—'}</td>
                <td>{r.outcome}</td>
                <td>{r.clientAddress ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {!loading && records.length === 0 && <p className="muted">No records match.</p>}
        {next && <button type="button" className="secondary" disabled={loading} onClick={() => void load(filter, next)}>Show older records</button>}
      </section>
    </section>
  );
}
