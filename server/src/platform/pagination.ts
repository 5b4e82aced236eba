import { badRequest } from './errors.js';

/**
 * What one element of a cursor holds. A cursor is the sort key of the last row served; every
 * element is checked against its kind before it reaches SQL, so a made-up cursor (`[true,false]`)
 * is a 400 and never a database error.
 */
export type CursorKind = 'timestamp' | 'uuid' | 'text' | 'integer' | 'bigint';

type CursorValue<K extends CursorKind> = K extends 'integer' ? number : string;
export type CursorKey<S extends readonly CursorKind[]> = { -readonly [I in keyof S]: CursorValue<S[I]> };

/** The sort keys list operations use: `createdAt, id` for documents, a code for master data. */
export const CURSOR = {
  createdAtId: ['timestamp', 'uuid'],
  code: ['text'],
  codes2: ['text', 'text'],
  codes5: ['text', 'text', 'text', 'text', 'text'],
  seq: ['integer'],
  movementId: ['bigint'],
} as const satisfies Record<string, readonly CursorKind[]>;

const CHECKS: Record<CursorKind, (v: unknown) => boolean> = {
  // What toISOString() writes, the only timestamps this API puts in cursors.
  timestamp: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/.test(v) && !Number.isNaN(Date.parse(v)),
  uuid: (v) => typeof v === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v),
  text: (v) => typeof v === 'string' && !v.includes('\u0000') && v.length <= 1000,
  integer: (v) => Number.isSafeInteger(v) && (v as number) >= 0,
  bigint: (v) => typeof v === 'string' && /^\d{1,18}$/.test(v),
};

/** Keyset pagination: the cursor is the sort key of the last row served, opaque to clients. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<const S extends readonly CursorKind[]>(cursor: string | undefined, shape: S): CursorKey<S> | undefined {
  if (cursor === undefined) return undefined;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // not JSON: refused below
  }
  if (Array.isArray(key) && key.length === shape.length && shape.every((kind, i) => CHECKS[kind](key[i]))) return key as CursorKey<S>;
  throw badRequest('INVALID_CURSOR', 'the cursor is not one this API issued; start again without it', [
    { in: 'query', field: 'cursor', code: 'INVALID_FORMAT', message: 'is not a cursor this API issued' },
  ]);
}

/** Rows were fetched with LIMIT limit+1: the extra row only says there is a next page. */
export function pageOf<R, T>(rows: R[], limit: number, keyOf: (r: R) => unknown[], map: (r: R) => T) {
  const more = rows.length > limit;
  const items = rows.slice(0, limit);
  return { items: items.map(map), nextCursor: more ? encodeCursor(keyOf(items[items.length - 1])) : null };
}
