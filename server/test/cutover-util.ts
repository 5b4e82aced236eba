/** Helpers of the cutover suites: a tenant's backup digest over HTTP, and cutover steps. */
import { Readable } from 'node:stream';
import { decodeFrames } from '../src/modules/backups/stream.js';
import type { DumpManifest } from '../src/modules/backups/manifest.js';
import { call, type TestServer } from './harness.js';

/** Every table's hash of the tenant's rows, from a per-tenant backup (the platform admin takes it). */
export async function tenantDigest(t: TestServer, slug: string, leaveOut: ReadonlySet<string>): Promise<Record<string, { rows: number; sha256: string }>> {
  const res = await fetch(`${t.url}/v1/backups`, {
    method: 'POST', headers: { authorization: `Bearer ${t.adminKey}`, 'content-type': 'application/json' }, body: JSON.stringify({ tenant: slug, includeSecrets: true }),
  });
  if (res.status !== 200) throw new Error(`backup of ${slug}: ${res.status}`);
  let manifest: DumpManifest | undefined;
  for await (const frame of decodeFrames(Readable.fromWeb(res.body as never))) if (frame.kind === 'manifest') manifest = frame.manifest;
  if (!manifest) throw new Error('the backup stream had no manifest');
  const out: Record<string, { rows: number; sha256: string }> = {};
  for (const table of manifest.tables) {
    const slice = table.slices.find((s) => s.tenantId !== null);
    if (slice && !leaveOut.has(table.name)) out[table.name] = { rows: slice.rows, sha256: slice.sha256 };
  }
  return out;
}

export async function runStep(t: TestServer, key: string, cutoverId: string, step: string, body: unknown = {}) {
  return call(t.url, key, 'POST', `/v1/cutovers/${cutoverId}/steps/${step}`, body);
}

export const stepStates = (cutover: { steps: { key: string; state: string }[] }) => Object.fromEntries(cutover.steps.map((s) => [s.key, s.state]));
