import type { Me } from '@mes/sdk';
import { Result, Spin } from 'antd';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { friendly } from './errors';
import { SessionContext, UNAUTHORIZED_EVENT, clearSession, clientFor, loadSession, sessionValue } from './session';

/** Where the login page sends the user back to: the page they were on, with its filters. */
export function loginPath(location: { pathname: string; search: string }, reason?: string): string {
  const next = `${location.pathname}${location.search}`;
  return `/login?next=${encodeURIComponent(next)}${reason ? `&reason=${reason}` : ''}`;
}

/**
 * An area that needs a signed-in user: reads GET /v1/me (what the user may do) and sends the user to
 * the login page, keeping the route, when there is no session or the API says it ended (401).
 */
export function SignedIn({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const session = useMemo(() => loadSession(), []);
  const client = useMemo(() => clientFor(session), [session]);
  const [me, setMe] = useState<Me | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    const onUnauthorized = (e: Event) => {
      clearSession();
      navigate(loginPath(window.location, (e as CustomEvent<string>).detail), { replace: true });
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, [navigate]);

  useEffect(() => {
    if (!session) return;
    client.me.get().then(setMe, (err) => setFailure(friendly(err, t).message));
  }, [client, session, t]);

  if (!session) return <Navigate to={loginPath(location)} replace />;
  if (failure) return <Result status="warning" title={failure} />;
  if (!me) return <Spin size="large" style={{ display: 'block', margin: '30vh auto' }} tip={t('loading')} />;
  const signOut = () => {
    clearSession();
    navigate('/login?reason=signed-out', { replace: true });
  };
  return <SessionContext.Provider value={sessionValue(session, client, me, signOut)}>{children}</SessionContext.Provider>;
}
