import { InMemoryWebStorage, UserManager, WebStorageStateStore } from 'oidc-client-ts';
import { ApiError, parseProblem } from '../api/problem';
import type { AuthConfig } from '../config';
import { readClaims, type Session } from './session';

const sessionFrom = (accessToken: string, signOut: () => void): Session => ({ accessToken, ...readClaims(accessToken), signOut });

/** Development only: the gateway's /dev/token mints a token for the chosen role and clinic. */
export async function developmentSignIn(role: string, subject: string, clinic: string, signOut: () => void): Promise<Session> {
  const response = await fetch('/dev/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ role, sub: subject, clinic }),
  });
  if (!response.ok) throw new ApiError(response.status, parseProblem(response.headers.get('Content-Type'), await response.text()));
  const { accessToken } = (await response.json()) as { accessToken: string };
  return sessionFrom(accessToken, signOut);
}

/**
 * OpenID Connect authorization code flow with PKCE. The user (and so the tokens) is kept in memory;
 * only the short-lived sign-in state survives the redirect, in sessionStorage, as the flow needs.
 */
export function createUserManager(config: Extract<AuthConfig, { mode: 'oidc' }>): UserManager {
  const home = `${window.location.origin}/`;
  return new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    scope: config.scope,
    redirect_uri: home,
    post_logout_redirect_uri: home,
    response_type: 'code',
    userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
  });
}

/** Completes a sign-in when the identity provider has just redirected back; null otherwise. */
export async function completeOidcSignIn(manager: UserManager, signOut: () => void): Promise<Session | null> {
  const query = new URLSearchParams(window.location.search);
  if (!query.has('code') || !query.has('state')) return null;
  const user = await manager.signinRedirectCallback();
  window.history.replaceState(null, '', `/${window.location.hash}`);
  return sessionFrom(user.access_token, signOut);
}
