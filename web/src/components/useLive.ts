import type { EventStreamOptions, MesClient } from '@mes/sdk';
import { useEffect, useRef, useState } from 'react';
import { useClient } from '../app/session';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * Where a page's changes come from: event types of the tenant's event stream (`stock.*`, needs
 * events:read), or a module's own feed (the production feed needs only production:read, so a
 * board's read-only key shows it). `key` names the feed: a new key opens it again.
 */
export type LiveSource = string[] | { key: string; open(client: MesClient, options: EventStreamOptions): AsyncIterable<unknown> };

/**
 * Calls `refresh` whenever events of the source's types (a prefix like `stock.*`) commit, from the
 * server's event stream or the module's feed; reconnects by itself after a lost connection or a server restart (then refreshes, since
 * the stream resumes after the last event but the page may have missed the time in between).
 * Also refreshes every `backstopMs`, so a board never shows stale numbers for long.
 */
export function useLive(source: LiveSource, refresh: () => void, backstopMs = 60_000): { state: LiveState; updatedAt: Date | null } {
  const client = useClient();
  const [state, setState] = useState<LiveState>('connecting');
  const [updatedAt, setUpdatedAt] = useState<Date | null>(null);
  const latest = useRef(refresh);
  latest.current = refresh;
  const feed = useRef(source);
  feed.current = source;
  const key = Array.isArray(source) ? source.join(',') : `feed:${source.key}`;

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
    const options: EventStreamOptions = { signal: stop.signal, onState: (s) => { setState(s === 'open' ? 'live' : 'reconnecting'); if (s === 'open') run(); } };
    const current = feed.current;
    const streams = Array.isArray(current) ? current.map((type) => client.events.stream({ type }, options)) : [current.open(client, options)];
    for (const stream of streams) {
      void (async () => {
        try {
          for await (const _ of stream) run();
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
    // The source is read through its ref: a new array of the same types is the same source.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key, backstopMs]);

  return { state, updatedAt };
}
