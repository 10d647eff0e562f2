import { useCallback, useEffect, useState } from 'react';
import { isValidPatientId } from './patients/patientId';

const fromHash = () => {
  const match = /^#\/patients\/([^/]+)$/.exec(window.location.hash);
  const id = match ? decodeURIComponent(match[1]) : null;
  return id && isValidPatientId(id) ? id : null;
};

/** The open patient lives in the address (#/patients/{id}) so back, forward and reload keep it. */
export function usePatientRoute(): [string | null, (id: string | null) => void] {
  const [patientId, setPatientId] = useState(fromHash);

  useEffect(() => {
    const onChange = () => setPatientId(fromHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);

  const open = useCallback((id: string | null) => {
    window.location.hash = id ? `#/patients/${encodeURIComponent(id)}` : '';
  }, []);

  return [patientId, open];
}
