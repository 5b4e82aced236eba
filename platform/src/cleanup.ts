/**
 * What this process started that must not outlive it: local platforms (replica processes, the
 * front) and private PostgreSQL clusters. A command interrupted by Ctrl+C stops all of them, also
 * the ones a suite started for itself (the diagnosis suite's own cluster and replica), before it
 * exits; normal paths close their own and leave this set empty.
 */
import { PlatformError } from './types.js';

export interface Stoppable {
  /** Idempotent: stopping twice, or stopping something still starting, is safe. */
  stop(): Promise<void>;
}

const live = new Set<Stoppable>();
let stoppingAll = false;

/**
 * Registers what is about to start; the returned function forgets it once it has been stopped.
 * Once stopEverythingStarted() was called nothing new may start: a run still going on after Ctrl+C
 * (its next suite) must not leave a process behind.
 */
export function trackStarted(thing: Stoppable): () => void {
  if (stoppingAll) throw new PlatformError('PROCESS_STOPPING', 'this process is stopping everything it started; nothing new starts');
  live.add(thing);
  return () => live.delete(thing);
}

/** Stops everything still registered, all at once; failures are ignored (best effort on the way out). */
export async function stopEverythingStarted(): Promise<void> {
  stoppingAll = true;
  await Promise.allSettled([...live].map((thing) => thing.stop()));
}
