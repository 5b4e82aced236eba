import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseRequirements } from '../scripts/requirements-lib.mjs';
import { Rng, SUITES, clauses, coverage, loadFlows, loadRequirements, profile, rollUp, type CheckResult } from '../src/index.js';

const DIGEST = new URL('../../../shared/REQUIREMENTS.md', import.meta.url);

const check = (id: string, status: CheckResult['status'], ids = ['S1-6.1-b']): CheckResult => ({ id, suite: 's', title: id, clauses: ids, status, assertions: status === 'passed' ? 1 : 0, durationMs: 0 });

describe('clause registry', () => {
  it.runIf(existsSync(DIGEST))('requirements.json is the digest as it is now (run scripts/sync-requirements.mjs)', () => {
    expect(loadRequirements()).toEqual(parseRequirements(readFileSync(DIGEST, 'utf8')).filter((r, i, all) => all.findIndex((x) => x.id === r.id) === i));
  });

  it('holds every S1-6.x clause, tenant isolation 5.3.2, the 5.4 functions, the platform\'s 5.3.3-a/5.3.4/5.3.6/5.3.7, the signed upload 5.2.2.1-a, the cutover\'s 7.3-a/b/c and backups 8.4, and nothing else', () => {
    const ids = clauses().map((c) => c.id);
    for (const id of ['S1-6.1-a', 'S1-6.1-b', 'S1-6.1-j', 'S1-6.2.1', 'S1-6.2.2', 'S1-6.2.3-a', 'S1-6.2.3-b', 'S1-5.3.2-a', 'S1-5.3.2-b', 'S1-5.4.1-a', 'S1-5.4.6-f', 'S1-5.3.3-a', 'S1-5.3.4', 'S1-5.3.6', 'S1-5.3.7-a', 'S1-5.3.7-b', 'S1-5.2.2.1-a', 'S1-7.3-a', 'S1-7.3-b', 'S1-7.3-c', 'S1-8.4']) expect(ids).toContain(id);
    expect(ids.every((id) => /^S1-(6\.|5\.4\.\d|5\.3\.2-|5\.3\.3-a$|5\.3\.4$|5\.3\.6$|5\.3\.7-[ab]$|5\.2\.2\.1-a$|7\.3-[abc]$|8\.4$)/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('profiles: core proves what it lists; platform runs the deployment and resilience suites over its clauses; full is the registry', () => {
    const proved = coverage(SUITES, loadFlows().flatMap((f) => f.clauses)).proved.map((p) => p.id);
    for (const id of profile('core')!.clauses) expect(proved, id).toContain(id);
    expect(profile('platform')!.clauses).toEqual(['S1-6.1-a', 'S1-6.1-c', 'S1-6.1-d', 'S1-6.1-f', 'S1-6.1-g', 'S1-5.3.3-a', 'S1-5.3.4', 'S1-5.3.6', 'S1-5.3.7-a', 'S1-5.3.7-b']);
    expect(profile('platform')!.suites).toEqual(['deployment', 'failover', 'upgrade', 'scaling', 'diagnosis']);
    expect(profile('full')!.clauses).toEqual(clauses().map((c) => c.id));
  });

  it('coverage lists the registry clauses no check proves', () => {
    const { unproved, proved } = coverage(SUITES, loadFlows().flatMap((f) => f.clauses));
    expect(proved.find((p) => p.id === 'S1-6.1-a')!.by).toEqual(['deployment']);
    expect(proved.find((p) => p.id === 'S1-6.1-g')!.by).toEqual(['failover']);
    expect(unproved.map((c) => c.id)).not.toContain('S1-6.1-b');
    expect(proved.length + unproved.length).toBe(clauses().length);
  });

  it('a clause whose checks ran nothing is unknown, never passed; any failure fails it', () => {
    expect(rollUp(['S1-6.1-b'], [])[0]).toMatchObject({ status: 'unknown', reason: 'no check in this run proves it' });
    expect(rollUp(['S1-6.1-b'], [check('a', 'skipped'), check('b', 'unknown')])[0].status).toBe('unknown');
    expect(rollUp(['S1-6.1-b'], [check('a', 'passed'), check('b', 'failed')])[0].status).toBe('failed');
    expect(rollUp(['S1-6.1-b'], [check('a', 'passed'), check('b', 'passed')])[0].status).toBe('passed');
    expect(rollUp(['S1-6.1-b'], [check('a', 'passed'), check('b', 'skipped')])[0].status).toBe('skipped');
  });

  it('the seed fixes every random choice: the same seed gives the same order and ids', () => {
    const order = (seed: number) => new Rng(seed).fork('isolation/order').shuffle(Array.from({ length: 50 }, (_, i) => i));
    expect(order(7)).toEqual(order(7));
    expect(order(7)).not.toEqual(order(8));
    expect(new Rng(3).fork('x').uuid()).toBe(new Rng(3).fork('x').uuid());
    expect(new Rng(3).fork('x').uuid()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
