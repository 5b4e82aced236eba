import { badRequest } from './errors.js';

/** Keyset pagination: the cursor is the sort key of the last row served, opaque to clients. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): unknown[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(key) && key.length === arity) return key;
  } catch {
    // fall through to the problem below
  }
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
