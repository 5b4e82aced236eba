/**
 * The CLI's import kinds are the server's (S1-7.3-a): `mes import <kind>` and
 * `mes import template <kind>` offer exactly the kinds the API's template operation accepts, so a
 * kind added on the server (one declarative column map) cannot be missing from the CLI unnoticed.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IMPORT_KINDS } from '../src/commands/import/index.js';

const spec = JSON.parse(readFileSync(new URL('../../sdk/openapi.json', import.meta.url), 'utf8'));

function templateKinds(): string[] {
  for (const ops of Object.values<any>(spec.paths)) {
    for (const op of Object.values<any>(ops)) {
      if (op.operationId !== 'getImportTemplate') continue;
      const kind = op.parameters.find((p: any) => p.name === 'kind');
      return kind.schema.anyOf.flatMap((a: any) => a.enum);
    }
  }
  throw new Error('no getImportTemplate operation in sdk/openapi.json');
}

describe('mes import kinds', () => {
  it('S1-7.3-a: the CLI offers exactly the kinds the server imports and writes templates for', () => {
    expect(IMPORT_KINDS.filter((k) => k !== 'auto')).toEqual(templateKinds());
    expect(templateKinds()).toHaveLength(21);
  });
});
