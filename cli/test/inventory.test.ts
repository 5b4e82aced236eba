/**
 * mes fixtures load, mes stock balances/movements and mes materials list, run as a user would
 * (the real binary in a child process) against a real server.
 */
import { expectedStockByMaterial, generateFactory, scaledToString, toScaled, addQuantities } from '@mes/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';

const data = generateFactory();
const expected = expectedStockByMaterial(data);
/** A material the opening stock holds in one location: bearings, counted in pieces. */
const KNOWN = 'RM-BRG-608ZZ';
const canonical = (q: string) => scaledToString(toScaled(q), 12);

let t: TestServer;
let key: string;
const asTenant = () => ({ url: t.url, apiKey: key, timeoutMs: 120_000 });

beforeAll(async () => {
  t = await startTestServer();
  key = (await createTenant(t, 'fanworks')).key;
});
afterAll(async () => {
  await killAll();
  await t?.stop();
});

describe('mes fixtures load', () => {
  it('loads the sample factory into the tenant of the key and prints the counts; --json gives them as JSON', async () => {
    const res = await mesJson(['fixtures', 'load'], asTenant());
    expect(res.code, res.stderr).toBe(0);
    expect(res.json).toMatchObject({
      tenant: 'fanworks',
      seed: data.seed,
      materials: { created: data.materials.length, existing: 0 },
      variants: { created: data.variants.length, existing: 0 },
      warehouses: { created: 4, existing: 0 },
      openingStock: { documents: { created: Math.ceil(data.openingStock.length / 500), existing: 0 }, linesPosted: data.openingStock.length },
      customers: { created: data.customers.length, existing: 0 },
      suppliers: { created: data.suppliers.length, existing: 0 },
      qualityDefectCodes: { created: data.quality.defectCodes.length, existing: 0 },
      qualityStandards: { created: 5, existing: 0 },
      qualityPlans: { created: 5, existing: 0 },
      qualityInspections: { created: 5, existing: 0 },
    });
    expect(res.json.totals.materials + res.json.totals.variants).toBeGreaterThanOrEqual(200);
    expect(res.stderr).toContain('Loading the sample factory');
    expect(res.stderr).toMatch(/opening stock: posted part 1\/2/);
  });

  it('run again, creates nothing and says so in a table', async () => {
    const res = await mes(['fixtures', 'load', '--tenant-key', key], { url: t.url, timeoutMs: 120_000 });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout.split('\n')[0]).toMatch(/^WHAT\s+CREATED\s+EXISTING$/);
    expect(res.stdout).toMatch(new RegExp(`^materials\\s+0\\s+${data.materials.length}$`, 'm'));
    expect(res.stdout).toMatch(new RegExp(`^customers\\s+0\\s+${data.customers.length}$`, 'm'));
    expect(res.stdout).toMatch(/^opening stock documents\s+0\s+2$/m);
    expect(res.stdout).toMatch(/^quality inspections \(judged\)\s+0\s+5$/m);
    expect(res.stdout).toContain('(0 posted now)');
  });
});

describe('mes stock balances', () => {
  it('--json shows the opening quantity of a known material exactly', async () => {
    expect(expected.get(KNOWN)).toBeDefined();
    const res = await mesJson(['stock', 'balances', '--material', KNOWN], asTenant());
    expect(res.code, res.stderr).toBe(0);
    const lines = data.openingStock.filter((l) => l.materialCode === KNOWN);
    expect(res.json.map((b: { materialCode: string; warehouseCode: string; binCode: string | null; quantity: string; baseUnit: string }) =>
      [b.materialCode, b.warehouseCode, b.binCode, canonical(b.quantity), b.baseUnit])).toEqual(
      lines.map((l) => [KNOWN, l.warehouseCode, l.binCode ?? null, canonical(l.baseQuantity), 'PCS']),
    );
    expect(canonical(addQuantities(...res.json.map((b: { quantity: string }) => b.quantity)))).toBe(canonical(expected.get(KNOWN)!));
  });

  it('prints a table; --warehouse filters; every balance of the tenant adds up to the opening stock', async () => {
    const table = await mes(['stock', 'balances', '--material', KNOWN, '--warehouse', 'RM'], asTenant());
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^MATERIAL\s+WAREHOUSE\s+BIN\s+BATCH\s+SERIAL\s+QUANTITY\s+UNIT$/);
    expect(table.stdout).toMatch(new RegExp(`^${KNOWN}\\s+RM\\s+\\S+\\s+${expected.get(KNOWN)}\\s+PCS$`, 'm'));
    expect((await mes(['stock', 'balances', '--material', KNOWN, '--warehouse', 'FG'], asTenant())).stdout.trim()).toBe('No stock.');

    const everything = await mesJson(['stock', 'balances'], asTenant());
    const sums = new Map<string, string>();
    for (const b of everything.json as Array<{ materialCode: string; quantity: string }>) sums.set(b.materialCode, addQuantities(sums.get(b.materialCode) ?? '0', b.quantity));
    expect(new Map([...sums].sort())).toEqual(expected);
  });

  it('an unknown material or warehouse code is exit 1 with a stable code', async () => {
    const material = await mesJson(['stock', 'balances', '--material', 'NO-SUCH'], asTenant());
    expect([material.code, material.json.error.code]).toEqual([1, 'MATERIAL_NOT_FOUND']);
    const warehouse = await mes(['stock', 'balances', '--warehouse', 'XX'], asTenant());
    expect(warehouse.code).toBe(1);
    expect(warehouse.stderr).toContain('no warehouse with code XX (the tenant has: ');
  });
});

describe('mes stock movements', () => {
  it('--serial follows one serial number through the ledger', async () => {
    const line = data.openingStock.find((l) => l.serialNo)!;
    const res = await mesJson(['stock', 'movements', '--serial', line.serialNo!], asTenant());
    expect(res.code, res.stderr).toBe(0);
    expect(res.json).toHaveLength(1);
    expect(res.json[0]).toMatchObject({ type: 'other_in', materialCode: line.materialCode, serialNo: line.serialNo, quantity: '1', sourceType: 'stock_document' });
    const table = await mes(['stock', 'movements', '--material', KNOWN], asTenant());
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+WHEN\s+TYPE\s+MATERIAL\s+WAREHOUSE\s+BATCH\s+SERIAL\s+QUANTITY\s+ENTERED$/);
    expect(table.stdout).toMatch(new RegExp(`other_in\\s+${KNOWN}\\s+RM\\s+`));
  });
});

describe('mes materials list', () => {
  it('--q finds by name; the table shows code, name, category, unit and tracking', async () => {
    const res = await mesJson(['materials', 'list', '--q', 'AxialFan'], asTenant());
    expect(res.code, res.stderr).toBe(0);
    const codes = res.json.map((m: { code: string }) => m.code);
    expect(codes).toEqual(expect.arrayContaining(['FG-AXF-200', 'FG-AXF-300', 'FG-AXF-600', 'PK-CTN-AXF300']));
    expect(res.json.every((m: { name: string }) => m.name.includes('AxialFan'))).toBe(true);
    const table = await mes(['materials', 'list', '--q', 'FG-AXF-300'], asTenant());
    expect(table.stdout.split('\n')[0]).toMatch(/^CODE\s+NAME\s+CATEGORY\s+UNIT\s+TRACKING\s+STATUS$/);
    expect(table.stdout).toMatch(/^FG-AXF-300\s+轴流风机 AxialFan 300mm\s+finished\s+PCS\s+serial\s+active$/m);
    const all = await mesJson(['materials', 'list'], asTenant());
    expect(all.json).toHaveLength(data.materials.length + data.variants.length);
  });

  it('every new command has a description, examples and --json', async () => {
    for (const id of ['fixtures load', 'stock balances', 'stock movements', 'materials list']) {
      const res = await mes([...id.split(' '), '--help']);
      expect(res.code, `${id}: ${res.stderr}`).toBe(0);
      expect(res.stdout, id).toContain('DESCRIPTION');
      expect(res.stdout, id).toContain('EXAMPLES');
      expect(res.stdout, id).toContain('--json');
    }
  });
});
