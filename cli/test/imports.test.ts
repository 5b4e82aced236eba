/**
 * mes import and mes import template (S1-7.3-a), run as a user would (the real binary in a child
 * process) against a real server: legacy fixtures in, every error of a bad workbook listed with
 * the error report saved beside it and nothing written, a re-run that changes nothing.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from '../../server/test/harness.js';
import { killAll, mes, mesJson } from './helpers.js';
import { budget } from '../../vitest.shared.js';

const LEGACY = fileURLToPath(new URL('../../fixtures/legacy/', import.meta.url));
let t: TestServer;
let key: string;
let dir: string;
const asTenant = () => ({ url: t.url, apiKey: key });

beforeAll(async () => {
  t = await startTestServer();
  key = (await createTenant(t, 'cli-import')).key;
  dir = mkdtempSync(path.join(tmpdir(), 'mes-import-'));
}, budget(60_000));
afterAll(async () => {
  await killAll();
  await t?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mes import', () => {
  it('S1-7.3-a: a workbook with mistakes exits 1 listing every error, saves the file with an error column beside it, and writes nothing', async () => {
    const file = path.join(dir, 'mistakes.xlsx');
    copyFileSync(path.join(LEGACY, 'mistakes.xlsx'), file);
    const res = await mes(['import', 'auto', file], asTenant());
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('计量单位!6 小数位数 Decimals "九": INVALID_INTEGER');
    expect(res.stderr).toContain('客户!3 统一社会信用代码 USCC "91310000MA1K30001A": USCC_CHECK_CHARACTER');
    expect(res.stderr).toMatch(/nothing was imported: \d+ error\(s\) in mistakes\.xlsx; the file with an error column is .*mistakes\.errors\.xlsx/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(dir, 'mistakes.errors.xlsx'));
    expect(wb.getWorksheet('客户')!.getRow(1).getCell(4).value).toBe('错误 Errors');
    expect((await call(t.url, key, 'GET', '/v1/units')).body.items).toEqual([]);

    const json = await mesJson(['import', 'auto', file, '--no-report'], asTenant());
    expect(json.code).toBe(1);
    expect(json.json.error.code).toBe('IMPORT_INVALID');
    expect(new Set(json.json.error.details.errors.map((e: any) => e.code)).size).toBe(30);
  });

  it('S1-7.3-a: a legacy workbook imports (--dry-run first writes nothing), and the same file again changes nothing', async () => {
    const file = path.join(LEGACY, 'opening-balance.xlsx');
    const dry = await mesJson(['import', 'auto', file, '--dry-run'], asTenant());
    expect(dry.code).toBe(0);
    expect(dry.json).toMatchObject({ status: 'validated', totalRows: 24, writtenRows: 0 });
    expect((await call(t.url, key, 'GET', '/v1/units')).body.items).toEqual([]);

    const run = await mes(['import', 'auto', file, '--poll-ms', '50'], asTenant());
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('phase 1: 24 rows in 计量单位 (units, 3), 单位换算 (conversions, 2), 物料 (materials, 4)');
    expect(run.stdout).toMatch(/^opening-balance\.xlsx: 24 rows written, 0 unchanged, in \d+\.\d s \(\d+ rows\/s\); job [0-9a-f-]{36}\n$/);

    const again = await mesJson(['import', 'auto', file], asTenant());
    expect(again.json).toMatchObject({ status: 'done', writtenRows: 0, unchangedRows: 24 });
    expect((await call(t.url, key, 'GET', '/v1/stock/balances')).body.items).toHaveLength(7);
  });

  it('S1-7.3-a: mes import template writes an XLSX with drop-down lists and a CSV that Excel opens as UTF-8', async () => {
    const xlsx = path.join(dir, 'opening.xlsx');
    const res = await mesJson(['import', 'template', 'opening-stock', '--out', xlsx], asTenant());
    expect(res.json).toMatchObject({ kind: 'opening-stock', format: 'xlsx', file: xlsx });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx);
    expect(wb.getWorksheet('期初库存')!.getRow(1).values).toContain('物料编码 Material code *');
    const csv = path.join(dir, 'suppliers.csv');
    expect((await mes(['import', 'template', 'suppliers', '--format', 'csv', '--out', csv], asTenant())).code).toBe(0);
    expect(existsSync(csv)).toBe(true);
    const usage = await mes(['import', 'materials'], asTenant());
    expect(usage.code).toBe(2);
  });
});
