import { useEffect, useRef, useState } from 'react';
import { useClient } from '../app/session';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * Calls `refresh` whenever events of `type` (a prefix like `stock.*`) commit, from the server's event
 * stream; reconnects by itself after a lost connection or a server restart (then refreshes, since
 * the stream resumes after the last event but the page may have missed the time in between).
 * Also refreshes every `backstopMs`, so a board never shows stale numbers for long.
 */
export function useLive(types: string[], refresh: () => void, backstopMs = 60_000): { state: LiveState; updatedAt: Date | null } {
  const client = useClient();
  const [state, setState] = useState<LiveState>('connecting');
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const latest = useRef(refresh);
  latest.current = refresh;

  useEffect(() => {
    const stop = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      clearTimeout(timer);
      // Bursts (a posting of 50 lines) become one refresh.
      timer = setTimeout(() => {
        latest.current();
        setUpdatedAt(new Date());
      }, 150);
    };
    run();
    for (const type of types) {
      void (async () => {
        try {
          for await (const _ of client.events.stream({ type }, { signal: stop.signal, onState: (s) => { setState(s === 'open' ? 'live' : 'reconnecting'); if (s === 'open') run(); } })) run();
        } catch {
          setState('reconnecting'); // a refusal: the 401 handler takes the user to the login page
        }
      })();
    }
    const backstop = setInterval(run, backstopMs);
    return () => {
      stop.abort();
      clearTimeout(timer);
      clearInterval(backstop);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, types.join(','), backstopMs]);

  return { state, updatedAt };
}
