import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { createUserManager, completeOidcSignIn, developmentSignIn } from '../auth/signIn';
import type { Session } from '../auth/session';
import type { AppConfig } from '../config';

interface Props {
  config: AppConfig;
  notice: string | null;
  onSignedIn: (session: Session) => void;
}

export function SignIn({ config, notice, onSignedIn }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const auth = config.auth;
  const manager = useMemo(() => (auth.mode === 'oidc' ? createUserManager(auth) : null), [auth]);
  // A returned authorization code can be redeemed once only, even when React runs this effect twice (development).
  const redeemed = useRef(false);

  useEffect(() => {
    if (!manager || redeemed.current) return;
    redeemed.current = true;
    const signOut = () => void manager.removeUser().then(() => manager.signoutRedirect());
    completeOidcSignIn(manager, signOut)
      .then((session) => session && onSignedIn(session))
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [manager, onSignedIn]);

  const submitDevelopment = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await developmentSignIn(String(form.get('role')), String(form.get('subject')), String(form.get('clinic')), () => {}));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <h1>Dental images</h1>
      {notice && <p className="notice" role="status">{notice}</p>}
      {auth.mode === 'development' ? (
        <form onSubmit={submitDevelopment} aria-label="Development sign-in">
          <p className="hint">Development sign-in: the gateway issues a local token for the role and clinic you pick.</p>
          <label>
            Clinic
            <input name="clinic" defaultValue="clinic-a" required maxLength={64} pattern="[A-Za-z0-9\-]+" autoComplete="off" />
          </label>
          <label>
            Role
            <select name="role" defaultValue="clinician">
              {auth.roles.map((r) => <option key={r} value={r}>{r}</option>)}
            </select>
          </label>
          <label>
            User name
            <input name="subject" defaultValue="dr-dev" required maxLength={64} autoComplete="off" />
          </label>
          <button type="submit" disabled={busy}>Sign in</button>
        </form>
      ) : (
        <button type="button" onClick={() => void manager?.signinRedirect()}>Sign in with your organisation</button>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </main>
  );
}
