import { MesError } from '@mes/sdk';
import type { TFunction } from 'i18next';

export interface FriendlyField {
  /** The problem's field path: `lines[2].quantity`. */
  field: string;
  /** The antd form name path: ['lines', 2, 'quantity']. */
  name: (string | number)[];
  message: string;
}

export interface FriendlyError {
  code: string;
  status: number;
  message: string;
  fields: FriendlyField[];
  /** Shown for server failures (5xx), so an operator can find the request in the logs. */
  traceId?: string;
}

/** `lines[2].quantity` → ['lines', 2, 'quantity']. */
export function namePath(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1]) out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/**
 * Any failure as the user should read it, in their language, keyed by the problem's stable code
 * (never by the server's English detail, which is the fallback for codes not translated yet).
 */
export function friendly(err: unknown, t: TFunction): FriendlyError {
  if (!(err instanceof MesError)) {
    return { code: 'CLIENT_ERROR', status: 0, message: err instanceof Error ? err.message : String(err), fields: [] };
  }
  if (err.status === 0) return { code: err.code, status: 0, message: t('common:errors.network'), fields: [] };
  const problem = (err.problem ?? {}) as Record<string, unknown>;
  const vars = { ...problem, count: err.fields.length, detail: problem.detail ?? err.message, code: err.code };
  const key = `common:errors.${err.code}`;
  const message = t(key, { ...vars, defaultValue: t('common:errors.generic', vars) });
  const fields = err.fields.map((f) => ({
    field: f.field,
    name: namePath(f.field),
    message: t(`common:fieldErrors.${f.code}`, { defaultValue: f.message }),
  }));
  return { code: err.code, status: err.status, message, fields, traceId: err.status >= 500 ? (err.traceId ?? err.requestId) : undefined };
}
