import { useEffect, useState, type FormEvent } from 'react';
import type { ApiClient } from '../api/client';
import type { PatientSummary, RecentPatient } from '../api/types';
import { isValidPatientId } from '../patients/patientId';

interface Props {
  api: ApiClient;
  onOpen: (patientId: string) => void;
}

const LOOKUP_DELAY_MS = 400;
const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** Finding a patient: the clinic's recently active patients from the catalog, and an exact-id search that says what is stored. */
export function PatientPicker({ api, onOpen }: Props) {
  const [recent, setRecent] = useState<RecentPatient[] | null>(null);
  const [recentError, setRecentError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [found, setFound] = useState<PatientSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    api.recentPatients()
      .then((r) => current && setRecent(r))
      .catch((e: unknown) => current && setRecentError(e instanceof Error ? e.message : String(e)));
    return () => { current = false; };
  }, [api]);

  // Exact ids only: the catalog holds opaque ids, so there is nothing to match a part of one against.
  const id = typed.trim();
  useEffect(() => {
    setFound(null);
    if (!isValidPatientId(id)) return;
    let current = true;
    const timer = window.setTimeout(() => {
      api.summary(id).then((s) => current && setFound(s)).catch(() => {});
    }, LOOKUP_DELAY_MS);
    return () => { current = false; window.clearTimeout(timer); };
  }, [api, id]);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!isValidPatientId(id)) {
      setError('A patient id is 1–64 letters, digits or hyphens (the id from your practice system).');
      return;
    }
    onOpen(id);
  };

  return (
    <section className="patient-picker" aria-labelledby="open-patient">
      <h2 id="open-patient">Open a patient</h2>
      <form onSubmit={submit} role="search" aria-label="Find a patient by id">
        <label>
          Patient id
          <input name="patientId" value={typed} onChange={(e) => { setTyped(e.target.value); setError(null); }} autoComplete="off" spellCheck={false}
            placeholder="0b7c6f0e-4c1e-…" aria-invalid={error !== null} aria-describedby="patient-lookup" />
        </label>
        <button type="submit">Open</button>
        <button type="button" className="secondary" onClick={() => onOpen(crypto.randomUUID())}>New patient id</button>
      </form>
      <p id="patient-lookup" className="muted lookup" role="status" data-testid="patient-lookup">
        {found && found.patientId === id && (found.total > 0
          ? `${found.total} image${found.total === 1 ? '' : 's'} stored${found.lastUploadAt ? `, last upload ${when(found.lastUploadAt)}` : ''}.`
          : 'No images under this id in your clinic yet: open it to upload the first ones.')}
      </p>
      {error && <p className="error" role="alert">{error}</p>}
      <h3 id="recent-patients">Recently active in your clinic</h3>
      {recentError && <p className="error" role="alert">{recentError}</p>}
      {recent === null && !recentError && <p className="muted" aria-busy="true">Loading…</p>}
      {recent?.length === 0 && <p className="muted">No patient has images yet.</p>}
      {recent && recent.length > 0 && (
        <ul className="recent-patients" aria-labelledby="recent-patients">
          {recent.map((p) => (
            <li key={p.patientId}>
              <button type="button" className="recent-patient" onClick={() => onOpen(p.patientId)}>
                <code>{p.patientId}</code>
                <span className="muted">{when(p.lastActivityAt)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
