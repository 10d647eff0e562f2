import { useCallback, useState } from 'react';
import type { Session } from './auth/session';
import { SignIn } from './components/SignIn';
import { Workspace } from './components/Workspace';
import type { AppConfig } from './config';

export function App({ config }: { config: AppConfig }) {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const ended = useCallback((message: string | null) => {
    setSession(null);
    setNotice(message);
  }, []);
  const signedIn = useCallback((s: Session) => {
    setNotice(null);
    setSession({ ...s, signOut: () => { s.signOut(); ended(null); } });
  }, [ended]);

  return session
    ? <Workspace session={session} onSessionEnded={ended} />
    : <SignIn config={config} notice={notice} onSignedIn={signedIn} />;
}
