import { afterAll, describe, expect, it } from 'vitest';
import { killAll, mes, mesJson } from './helpers.js';

afterAll(killAll);

// None of these reach a server: the URL points at a port nothing listens on.
const opts = { url: 'http://127.0.0.1:9', apiKey: 'mes_unused' };

describe('usage errors exit 2', () => {
  it('an unknown flag', async () => {
    const res = await mes(['tenant', 'list', '--no-such-flag'], opts);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Nonexistent flag: --no-such-flag/);
    expect(res.stdout).toBe('');
  });

  it('an unknown flag with --json: exit 2, the error as JSON on stdout', async () => {
    const res = await mesJson(['apikey', 'list', '--bogus'], opts);
    expect(res.code).toBe(2);
    expect(res.json).toMatchObject({ status: 2, error: { code: 'USAGE', message: expect.stringContaining('--bogus') } });
  });

  it('a missing argument, a missing required flag, a bad flag value', async () => {
    expect((await mes(['tenant', 'create'], opts)).code).toBe(2);
    expect((await mes(['apikey', 'create'], opts)).code).toBe(2);
    const dur = await mes(['apikey', 'create', '--name', 'x', '--expires-in', 'soon'], opts);
    expect(dur.code).toBe(2);
    expect(dur.stderr).toContain('90m, 12h, 30d');
    expect((await mes(['up', '--port', 'eighty'], opts)).code).toBe(2);
    expect((await mes(['up', '--port', '70000'], opts)).code).toBe(2);
    expect((await mes(['status', '--url', 'not a url'], opts)).code).toBe(2);
  });

  it('an unknown command', async () => {
    const res = await mes(['frobnicate'], opts);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/frobnicate/);
  });
});

describe('help', () => {
  it('every command has a description, examples and --json', async () => {
    for (const id of ['up', 'status', 'db migrate', 'tenant create', 'tenant list', 'apikey create', 'apikey list', 'apikey revoke', 'audit verify']) {
      const res = await mes([...id.split(' '), '--help']);
      expect(res.code, `${id}: ${res.stderr}`).toBe(0);
      expect(res.stdout, id).toContain('DESCRIPTION');
      expect(res.stdout, id).toContain('EXAMPLES');
      expect(res.stdout, id).toContain('--json');
    }
  });

  it('mes --help lists the commands', async () => {
    const res = await mes(['--help']);
    expect(res.code).toBe(0);
    for (const topic of ['up', 'status', 'db', 'tenant', 'apikey', 'audit']) expect(res.stdout).toContain(topic);
  });
});
