/**
 * The checked-in spec and types must be exactly what the server's current route schemas produce
 * (Octokit style: generated, never edited by hand).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REGENERATE_COMMAND, SDK_DIR, SPEC_FILE, TYPES_FILE, generateSpecAndTypes } from '../scripts/generate-lib.mjs';

describe('generated files', () => {
  let fresh: { spec: string; types: string };
  beforeAll(async () => {
    fresh = await generateSpecAndTypes();
  });

  it.each([
    ['openapi.json', SPEC_FILE, 'spec'],
    ['src/generated/openapi.ts', TYPES_FILE, 'types'],
  ] as const)('S1-5.3.5-a %s matches what the server generates today', async (name, file, key) => {
    const checkedIn = await readFile(file, 'utf8').catch(() => '');
    if (checkedIn !== fresh[key]) {
      expect.fail(`sdk/${name} is stale or missing: the server's API changed since it was generated; run ${REGENERATE_COMMAND} and commit the result`);
    }
  });

  it('the generated types carry a header saying how they are made', async () => {
    expect(fresh.types.split('\n').slice(0, 5).join('\n')).toContain(REGENERATE_COMMAND);
    expect(path.relative(SDK_DIR, TYPES_FILE)).toBe(path.join('src', 'generated', 'openapi.ts'));
  });
});
