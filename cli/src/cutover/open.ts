import type { Cutover, MesClient } from '@mes/sdk';
import { CommandFailure } from '../base-command.js';

/** The tenant's open cutover (planned, running or failed), or the one named. */
export async function openCutover(client: MesClient, id?: string): Promise<Cutover | undefined> {
  if (id) return client.cutovers.get(id);
  const page = await client.cutovers.list({ limit: 20 });
  const open = page.items.find((c) => ['planned', 'running', 'failed'].includes(c.status));
  return open ? client.cutovers.get(open.id) : undefined;
}

export async function latestCutover(client: MesClient, id?: string): Promise<Cutover> {
  if (id) return client.cutovers.get(id);
  const newest = (await client.cutovers.list({ limit: 1 })).items[0];
  if (!newest) throw new CommandFailure('this tenant has no cutover: plan one with mes cutover plan', { code: 'NO_CUTOVER' });
  return client.cutovers.get(newest.id);
}

/** A step line for people: state, key, duration, what it did or why it failed. */
export function stepLine(s: Cutover['steps'][number]): string {
  const mark = { passed: '✓', failed: '✗', running: '…', pending: '·', warning: '!', not_applicable: '-' }[s.state] ?? '?';
  const took = s.durationMs === null ? '' : ` (${(s.durationMs / 1000).toFixed(1)} s)`;
  const result = (s.result ?? {}) as { error?: { message?: string }; detail?: string };
  const why = result.error?.message ?? result.detail;
  return `${mark} ${s.key} ${s.state}${took}${why ? `: ${why}` : ''}`;
}
