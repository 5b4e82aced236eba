/** What the production suite's checks share: the tenant's world and a few request helpers. */
import type { HttpResponse, HttpTarget } from '../http.js';
import type { TestTenant } from '../tenants.js';

export type Call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpResponse>;

export interface World {
  tenant: TestTenant;
  target: HttpTarget;
  call: Call;
  /** A code no other check or run uses. */
  code(prefix: string): string;
  ids: Record<string, string>;
}

export const codesOf = (res: HttpResponse) => (res.json?.errors ?? []).map((e: { field: string; code: string }) => `${e.field}:${e.code}`).sort().join(' ');

export async function made(call: Call, path: string, body: unknown): Promise<any> {
  const res = await call('POST', path, body);
  if (res.status !== 201 && res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${res.text.slice(0, 300)}`);
  return res.json;
}

export async function released(call: Call, path: string, body: unknown): Promise<any> {
  const draft = await made(call, path, body);
  return made(call, `${path}/${draft.id}/release`, { version: draft.version });
}

