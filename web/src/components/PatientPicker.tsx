import { useState, type FormEvent } from 'react';
import { forgetPatients, isValidPatientId, loadRecentPatients } from '../patients/recentPatients';

interface Props {
  onOpen: (patientId: string) => void;
}

export function PatientPicker({ onOpen }: Props) {
  const [recent, setRecent] = useState(() => loadRecentPatients(localStorage));
  const [error, setError] = useState<string | null>(null);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = String(new FormData(event.currentTarget).get('patientId')).trim();
    if (!isValidPatientId(id)) {
      setError('A patient id is 1–64 letters, digits or hyphens (the id from your practice system).');
      return;
    }
    onOpen(id);
  };

  return (
    <section className="patient-picker" aria-labelledby="open-patient">
      <h2 id="open-patient">Open a patient</h2>
      <form onSubmit={submit}>
        <label>
          Patient id
          <input name="patientId" autoComplete="off" spellCheck={false} placeholder="0b7c6f0e-4c1e-…" aria-invalid={error !== null} />
        </label>
        <button type="submit">Open</button>
        <button type="button" className="secondary" onClick={() => onOpen(crypto.randomUUID())}>New patient id</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      {recent.length > 0 && (
        <>
          <h3>Recently opened</h3>
          <ul className="recent-patients">
            {recent.map((id) => (
              <li key={id}><button type="button" className="link" onClick={() => onOpen(id)}>{id}</button></li>
            ))}
          </ul>
          <button type="button" className="link" onClick={() => { forgetPatients(localStorage); setRecent([]); }}>Forget this list</button>
        </>
      )}
    </section>
  );
}
