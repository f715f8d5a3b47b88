// Live updates: the controller's events stream announces each new store revision; the page then fetches the map
// again (coalesced, at most one fetch in flight). Without EventSource, or while the stream is down, it polls.

import { GRAPH_EVENTS_PATH } from '../graph-types.ts';

export const POLL_FALLBACK_MS = 5000;
/** Changes arriving closer together than this are fetched once. */
export const COALESCE_MS = 200;

export interface Live { stop(): void }

/** Calls `refresh` whenever the store's revision passes `current()`; `onState` reports 'live' | 'reconnecting'. */
export function startLive(current: () => number, refresh: () => Promise<void>, onState: (s: 'live' | 'reconnecting' | 'polling') => void): Live {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false, again = false;
  const kick = () => {
    if (timer) return;
    timer = setTimeout(async () => {
      timer = undefined;
      if (running) { again = true; return; }
      running = true;
      try { await refresh(); } finally {
        running = false;
        if (again) { again = false; kick(); }
      }
    }, COALESCE_MS);
  };
  if (typeof EventSource === 'undefined') {
    onState('polling');
    const poll = setInterval(kick, POLL_FALLBACK_MS);
    return { stop: () => clearInterval(poll) };
  }
  const es = new EventSource(GRAPH_EVENTS_PATH);
  es.addEventListener('open', () => onState('live'));
  es.addEventListener('error', () => onState('reconnecting'));
  es.addEventListener('revision', (ev) => {
    const rev = Number(JSON.parse((ev as MessageEvent<string>).data).revision);
    if (rev !== current()) kick();
  });
  return { stop: () => es.close() };
}
