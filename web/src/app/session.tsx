import { MesClient, type Me } from '@mes/sdk';
import { createContext, useContext } from 'react';
import { can } from './permissions';

/** What a signed-in browser tab keeps: a 15-minute login token, or an API key (boards, first start). */
export interface StoredSession {
  kind: 'token' | 'apiKey';
  credential: string;
  tenant: string;
  username: string;
  /** Login tokens only. */
  expiresAt?: string;
}

const KEY = 'mes.session';
/** Fired when the API answers 401 to a signed-in call (token expired, key revoked). */
export const UNAUTHORIZED_EVENT = 'mes:unauthorized';

/** sessionStorage: a tab's sign-in ends with the tab; a board that should survive restarts is remembered in localStorage. */
export function loadSession(): StoredSession | null {
  const raw = sessionStorage.getItem(KEY) ?? localStorage.getItem(KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as StoredSession;
  } catch {
    return null;
  }
}

export function saveSession(s: StoredSession, remember = false): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
  if (remember) localStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  localStorage.removeItem(KEY);
}

/**
 * The SDK client of this tab. Every 401 to a call made with credentials is announced once, so the
 * app can send the user to the login page and back to where they were (S1-5.1.3).
 */
export function clientFor(session: StoredSession | null): MesClient {
  const credential = session ? (session.kind === 'token' ? { token: session.credential } : { apiKey: session.credential }) : {};
  return new MesClient({
    baseUrl: window.location.origin,
    ...credential,
    fetch: async (input, init) => {
      const res = await fetch(input, init);
      if (res.status === 401 && session) {
        const code = await res.clone().json().then((b: { code?: string }) => b.code, () => undefined);
        window.dispatchEvent(new CustomEvent(UNAUTHORIZED_EVENT, { detail: code ?? 'AUTH_INVALID' }));
      }
      return res;
    },
  });
}

export interface SessionValue {
  session: StoredSession;
  client: MesClient;
  me: Me;
  can(permission: string | undefined): boolean;
  signOut(): void;
}

export const SessionContext = createContext<SessionValue | null>(null);

export function useSession(): SessionValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside a signed-in area');
  return value;
}

/** The client of the signed-in user: every page talks to the MES through it (and only through it). */
export function useClient(): MesClient {
  return useSession().client;
}

export function sessionValue(session: StoredSession, client: MesClient, me: Me, signOut: () => void): SessionValue {
  return { session, client, me, can: (p) => can(me, p), signOut };
}
