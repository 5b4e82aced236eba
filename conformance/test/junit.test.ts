/**
 * JUnit XML of a run: every verdict maps to what CI systems read (failure, error, skipped), names
 * carry the clauses, and text from a target's answer cannot break the XML.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { junit, type CheckResult, type RunResults } from '../src/index.js';

const check = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({ id, suite: id.split('/')[0], title: id, clauses: ['S1-5.4.1-a', 'S1-5.4.1-b'], status, assertions: 3, durationMs: 1500, ...extra });

const run = (checks: CheckResult[]): RunResults => ({
  runId: 'abc123', seed: 42, profile: 'core', certified: true, verdict: 'failed', target: { url: 'http://127.0.0.1:8080' }, tool: { name: '@mes/conformance', version: '0', node: 'v20' },
  startedAt: '2030-01-01T00:00:00.000Z', finishedAt: '2030-01-01T00:01:00.000Z', durationMs: 60_000, clauses: [], checks, counts: {}, executionOrder: [], suites: {}, cleanup: {},
});

describe('JUnit XML', () => {
  it('passed, failed by assertion, failed by error, skipped and unknown map to testcase, <failure>, <error> and <skipped>, counted per suite', () => {
    const text = junit(run([
      check('business/a', 'passed'),
      check('business/b', 'failed', { failure: 'assertion', message: 'stock after the outbound: expected ["A=1"], got ["A=2"]\n(GET /v1/stock/balances → 200 <&"\u0007>)' }),
      check('business/c', 'failed', { failure: 'error', message: 'error: fetch failed' }),
      check('isolation/d', 'skipped', { message: 'not loopback' }),
      check('isolation/e', 'unknown', { message: 'the interval contains the threshold' }),
    ]));
    expect(XMLValidator.validate(text)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (n) => ['testsuite', 'testcase', 'property'].includes(n) }).parse(text);
    expect(doc.testsuites).toMatchObject({ tests: '5', failures: '1', errors: '1', skipped: '2', time: '60.000', timestamp: '2030-01-01T00:00:00.000Z' });
    const [business, isolation] = doc.testsuites.testsuite;
    expect(business).toMatchObject({ name: 'business', tests: '3', failures: '1', errors: '1', skipped: '0', time: '4.500' });
    expect(isolation).toMatchObject({ name: 'isolation', tests: '2', failures: '0', errors: '0', skipped: '2' });
    const [a, b, c] = business.testcase;
    expect(a).toMatchObject({ name: 'S1-5.4.1-a S1-5.4.1-b: business/a', classname: 'mes.conformance.business', time: '1.500', assertions: '3' });
    expect(a.failure ?? a.error ?? a.skipped).toBeUndefined();
    expect(a.properties.property.filter((p: any) => p.name === 'clause').map((p: any) => p.value)).toEqual(['S1-5.4.1-a', 'S1-5.4.1-b']);
    expect(b.failure).toMatchObject({ type: 'CheckFailure', message: 'stock after the outbound: expected ["A=1"], got ["A=2"]' });
    expect(b.failure['#text']).toContain('→ 200 <&"\uFFFD>');
    expect(c.error).toMatchObject({ type: 'CheckError', message: 'error: fetch failed' });
    expect(isolation.testcase.map((x: any) => x.skipped.message)).toEqual(['skipped: not loopback', 'inconclusive: the interval contains the threshold']);
  });
});
