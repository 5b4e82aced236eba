/** Uploading files to import jobs and waiting for them, for the import suites. */
import { readFileSync } from 'node:fs';
import { call } from './harness.js';
import { waitFor } from './util.js';

export const legacy = (name: string) => readFileSync(new URL(`../../fixtures/legacy/${name}`, import.meta.url));

/** POST /v1/imports with the file's bytes as the body. */
export async function upload(baseUrl: string, key: string, file: Buffer, query: { kind?: string; fileName: string; dryRun?: boolean }, headers: Record<string, string> = {}) {
  const q = new URLSearchParams({ kind: query.kind ?? 'auto', fileName: query.fileName, ...(query.dryRun ? { dryRun: 'true' } : {}) });
  const res = await fetch(`${baseUrl}/v1/imports?${q}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream', ...headers }, body: file });
  return { status: res.status, body: (await res.json()) as any };
}

/** Waits until a job is no longer writing and returns it. */
export async function finished(baseUrl: string, key: string, id: string, timeoutMs = 20_000) {
  let job: any;
  await waitFor(`import job ${id} to finish`, async () => {
    job = (await call(baseUrl, key, 'GET', `/v1/imports/${id}`)).body;
    return job.status !== 'writing';
  }, timeoutMs);
  return job;
}
