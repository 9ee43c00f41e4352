// Sign-in: the token is pasted (or handed over once in the #token=... fragment, which never reaches a server) and
// kept in sessionStorage only: not in localStorage, the URL, or any log. Its payload is decoded for display and to
// decide what to show; the services verify the token and enforce the roles.

const KEY = 'tocsin.console.token';
const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Session {
  token: string;
  user: string;
  /** All of the token's groups: roles and audience groups. */
  groups: string[];
  roles: Role[];
  /** The groups that are not roles: what the console can subscribe to. */
  audienceGroups: string[];
  /** Seconds since the epoch, when the token says. */
  expiresAt?: number;
}

export function canClear(session: Session): boolean {
  return session.roles.includes('operator') || session.roles.includes('admin');
}

export function canReadDeliveries(session: Session): boolean {
  return canClear(session);
}

export function isAdmin(session: Session): boolean {
  return session.roles.includes('admin');
}

/**
 * Takes `#token=<jwt>` out of the address bar (history.replaceState, so it is not in the history either) and keeps
 * it in sessionStorage. Runs once, before anything else reads the location.
 */
export function adoptFragmentToken(): void {
  const match = /^#token=([^&]+)/.exec(window.location.hash);
  if (!match || !match[1]) return;
  const token = decodeURIComponent(match[1]);
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (decode(token)) sessionStorage.setItem(KEY, token);
}

/** The stored session, or null when there is none or it cannot be read. */
export function currentSession(): Session | null {
  const token = sessionStorage.getItem(KEY);
  return token ? decode(token) : null;
}

/** Stores a pasted token; returns the session or an error message. */
export function signIn(pasted: string): Session | string {
  const token = pasted.trim().replace(/^Bearer\s+/i, '');
  const session = decode(token);
  if (!session) return 'That is not a JWT (three base64url parts with a JSON payload).';
  if (session.expiresAt !== undefined && session.expiresAt * 1000 < Date.now()) return 'That token has expired.';
  sessionStorage.setItem(KEY, token);
  return session;
}

export function signOut(): void {
  sessionStorage.removeItem(KEY);
}

/** The token for the client's provider: read each time, so a sign-out or a new paste takes effect at reconnect. */
export function token(): string {
  return sessionStorage.getItem(KEY) ?? '';
}

/**
 * Behind an OIDC proxy (docs/console.md): the proxy may serve the signed-in user's access token at
 * `/console/token` (JSON `{"access_token": "..."}` or `{"token": "..."}`, or the bare JWT as text). alert-ingest
 * itself serves nothing there (404), so without a proxy this finds nothing and the sign-in form shows.
 */
export async function tokenFromProxy(): Promise<Session | null> {
  try {
    const response = await fetch('token', { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json, text/plain' } });
    if (!response.ok) return null;
    const text = (await response.text()).trim();
    let candidate = text;
    if (text.startsWith('{')) {
      const body = JSON.parse(text) as { access_token?: unknown; token?: unknown };
      candidate = typeof body.access_token === 'string' ? body.access_token : typeof body.token === 'string' ? body.token : '';
    }
    const session = decode(candidate);
    if (!session || (session.expiresAt !== undefined && session.expiresAt * 1000 < Date.now())) return null;
    sessionStorage.setItem(KEY, candidate);
    return session;
  } catch {
    return null;
  }
}

/**
 * The client's token provider: the stored token; when it expires within a minute and a proxy serves
 * `/console/token`, a fresh one from there first (a pasted token cannot be renewed: sign in again).
 */
export async function freshToken(): Promise<string> {
  const session = currentSession();
  if (session?.expiresAt !== undefined && session.expiresAt * 1000 - Date.now() < 60_000) {
    await tokenFromProxy();
  }
  return token();
}

function decode(token: string): Session | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const json = new TextDecoder().decode(Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)));
    const claims = JSON.parse(json) as Record<string, unknown>;
    const groups = Array.isArray(claims['groups']) ? claims['groups'].filter((g): g is string => typeof g === 'string') : [];
    const user = [claims['upn'], claims['preferred_username'], claims['sub']].find((v): v is string => typeof v === 'string')
      ?? 'unknown';
    const session: Session = {
      token, user, groups,
      roles: ROLES.filter((role) => groups.includes(role)),
      audienceGroups: groups.filter((g) => !(ROLES as readonly string[]).includes(g)),
    };
    if (typeof claims['exp'] === 'number') session.expiresAt = claims['exp'];
    return session;
  } catch {
    return null;
  }
}
