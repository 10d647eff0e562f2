/** What the gateway tells the web client about signing in (GET /app-config.json). */
export type AuthConfig =
  | { mode: 'development'; roles: string[] }
  | { mode: 'oidc'; authority: string; clientId: string; scope: string };

export interface AppConfig {
  auth: AuthConfig;
}

export async function loadConfig(): Promise<AppConfig> {
  const response = await fetch('/app-config.json');
  if (!response.ok) throw new Error(`The gateway did not send the web client's settings (${response.status}).`);
  return (await response.json()) as AppConfig;
}
