/**
 * mes trace batch/serial and mes quality recall, run as a user would (the real binary in a child
 * process) against a real server with a purchase → production → sales history made through the API.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../server/test/harness.js';
import { traceablePlant } from '../../server/test/trace-setup.js';
import { killAll, mes, mesJson } from './helpers.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
let P: Awaited<ReturnType<typeof traceablePlant>>;
const asTenant = () => ({ url: t.url, apiKey: P.key });

beforeAll(async () => {
  t = await startTestServer();
  P = await traceablePlant(t, 'cli-trace');
}, budget(120_000));
afterAll(async () => {
  await killAll();
  await t?.stop();
});

describe('mes trace and mes quality recall (S1-5.4.5-d)', () => {
  it('S1-5.4.5-d mes trace batch --backward prints the tree down to the supplier; --forward --json gives the graph up to the customer', async () => {
    const back = await mes(['trace', 'batch', 'P-1', '--backward'], asTenant());
    expect(back.code, back.stderr).toBe(0);
    const lines = back.stdout.trim().split('\n');
    expect(lines[0]).toBe(`PUMP batch P-1; made by ${P.pumpOrder.docNo} (${P.pumpReceipt.docNo}, BOM rev 1, W-007 at ST-1 on PRESS-01); 1 PCS in MAIN/A-01`);
    expect(lines[1]).toMatch(/^├─ HOUSING batch H-1; made by .*\[4 in .*\]$/);
    expect(lines[2]).toMatch(new RegExp(`^│  └─ CASING batch ${P.casingBatch}; 4 PCS in MAIN/A-01  \\[5 in `));
    expect(lines[3]).toBe(`│     └─ supplier SUP-1 Steel Co  [10 on ${P.po.docNo} ${P.receipt.docNo}, accepted 9, rejected 1]`);
    expect(lines[4]).toBe(`└─ customer C1 Customer one  [3 on ${P.outbound.docNo} (${P.so.docNo})]`);
    const fwd = await mesJson(['trace', 'batch', P.casingBatch, '--forward', '--material', 'CASING'], asTenant());
    expect(fwd.code, fwd.stderr).toBe(0);
    expect(fwd.json.nodes.filter((n: any) => n.type === 'customer').map((n: any) => n.partnerCode)).toEqual(['C1']);
    expect(fwd.json.nodes.map((n: any) => n.id)).toContain('serial:METER:M-100');
    const serial = await mesJson(['trace', 'serial', 'M-100'], asTenant());
    expect(serial.json.root).toBe('serial:METER:M-100');
    const unknown = await mes(['trace', 'batch', 'NOPE'], asTenant());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no batch NOPE');
  });

  it('S1-5.4.5-d mes quality recall prints where every affected batch is; --format csv|xlsx --out writes the export', async () => {
    const res = await mes(['quality', 'recall', P.casingBatch], asTenant());
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`Recall of CASING batch ${P.casingBatch}: 4 affected batches and serials, 1 customers`);
    expect(res.stdout).toMatch(new RegExp(`^PUMP\\s+P-1\\s+shipped\\s+C1 ${P.outbound.docNo}\\s+3\\s+PCS$`, 'm'));
    const dir = mkdtempSync(path.join(tmpdir(), 'mes-recall-'));
    const csv = await mesJson(['quality', 'recall', P.casingBatch, '--format', 'csv', '--out', path.join(dir, 'r.csv')], asTenant());
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.json).toMatchObject({ file: path.join(dir, 'r.csv'), affectedBatches: 4 });
    expect(readFileSync(path.join(dir, 'r.csv'), 'utf8').trim().split(/\r?\n/)).toHaveLength(5);
    const xlsx = await mes(['quality', 'recall', P.casingBatch, '--format', 'xlsx', '--out', path.join(dir, 'r.xlsx')], asTenant());
    expect(xlsx.code, xlsx.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'r.xlsx')).subarray(0, 2).toString()).toBe('PK');
  });
});
