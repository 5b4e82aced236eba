/**
 * Data import (S1-7.3-a: import master data, initialise inventory): legacy files as implementers
 * get them, through the real server. Every error of a file in one pass with nothing written; a
 * workbook of every kind; a re-run that changes nothing; GBK; error reports; tenant isolation.
 */
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, startTestServer, type TestServer } from './harness.js';
import { finished, legacy, upload } from './imports-util.js';
import { listAll } from './util.js';
import { budget } from '../../vitest.shared.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, budget(60_000));
afterAll(() => t?.stop());

const get = async (key: string, path: string) => (await t.call('GET', path, undefined, { authorization: `Bearer ${key}` })).body;

describe('import jobs', () => {
  it('S1-7.3-a: a workbook with 30 kinds of mistakes reports every one in one pass (sheet, row, column, value, code) and writes nothing', async () => {
    const { key } = await createTenant(t, 'imp-mistakes');
    const res = await upload(t.url, key, legacy('mistakes.xlsx'), { fileName: 'mistakes.xlsx' });
    expect(res.status).toBe(201);
    const job = res.body;
    expect(job.status).toBe('invalid');
    const codes = [...new Set(job.errors.map((e: any) => e.code))].sort();
    expect(codes).toEqual([
      'DUPLICATE_COLUMN', 'DUPLICATE_KEY', 'EXPIRY_REQUIRED', 'FRACTION_NOT_ALLOWED', 'INVALID_BOOLEAN', 'INVALID_DATE', 'INVALID_FORMAT', 'INVALID_INTEGER',
      'INVALID_LENGTH', 'INVALID_NUMBER', 'INVALID_VALUE', 'MISSING_COLUMN', 'NEEDS_BATCHES', 'NOT_POSITIVE', 'NOT_TRACKED', 'OUT_OF_RANGE', 'REQUIRED',
      'SAME_UNIT', 'SERIAL_QUANTITY', 'SHEET_KIND_UNKNOWN', 'UNIT_NOT_CONVERTIBLE', 'UNKNOWN_BIN', 'UNKNOWN_MATERIAL', 'UNKNOWN_SUPPLIER', 'UNKNOWN_UNIT',
      'UNKNOWN_WAREHOUSE', 'USCC_CHARACTER', 'USCC_CHECK_CHARACTER', 'USCC_LENGTH', 'USCC_TAKEN',
    ]);
    expect(codes).toHaveLength(30);
    expect(job.errorCount).toBe(job.errors.length);
    const at = (code: string) => job.errors.filter((e: any) => e.code === code).map((e: any) => ({ sheet: e.sheet, row: e.row, column: e.column, value: e.value }));
    expect(at('INVALID_INTEGER')).toEqual([{ sheet: '计量单位', row: 6, column: '小数位数 Decimals', value: '九' }]);
    expect(at('USCC_CHECK_CHARACTER')).toEqual([{ sheet: '客户', row: 3, column: '统一社会信用代码 USCC', value: '91310000MA1K30001A' }]);
    expect(at('USCC_TAKEN')).toEqual([{ sheet: '供应商', row: 3, column: '统一社会信用代码 USCC', value: '91110108MA00A0002X' }]);
    expect(at('UNKNOWN_BIN')).toEqual([{ sheet: '期初库存', row: 5, column: '库位编码 Bin code', value: 'Z-99' }]);
    expect(at('INVALID_DATE')).toEqual([{ sheet: '期初库存', row: 8, column: '有效期至 Expiry date', value: '2025-02-30' }]);
    expect(at('DUPLICATE_KEY')).toEqual([{ sheet: '计量单位', row: 10, column: '单位编码 Unit code', value: 'PCS' }]);
    expect(at('MISSING_COLUMN')).toEqual([{ sheet: 'Units', row: 1, column: '单位名称 Unit name', value: '' }]);
    // Nothing was written, not even the good rows.
    expect((await get(key, '/v1/units')).items).toEqual([]);
    expect(await listAll(t, key, '/v1/materials')).toEqual([]);
    expect((await get(key, '/v1/warehouses')).items).toEqual([]);
    expect(await listAll(t, key, '/v1/suppliers')).toEqual([]);
    expect(await listAll(t, key, '/v1/stock/balances')).toEqual([]);

    // The error report is the workbook with an error column, each row's errors beside it.
    const report = await fetch(`${t.url}/v1/imports/${job.id}/error-report`, { headers: { authorization: `Bearer ${key}` } });
    expect(report.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await report.arrayBuffer());
    const units = wb.getWorksheet('计量单位')!;
    expect(units.getRow(1).getCell(5).value).toBe('错误 Errors');
    expect(String(units.getRow(6).getCell(5).value)).toMatch(/^\[INVALID_INTEGER\] 小数位数 Decimals "九": /);
    expect(units.getRow(2).getCell(5).value).toBeNull();
  });

  it('S1-7.3-a: a workbook of every kind (merged title and two-row header, full-width digits, trailing blanks, Excel serial and text dates) imports master data and opening stock', async () => {
    const { key } = await createTenant(t, 'imp-workbook');
    const dry = await upload(t.url, key, legacy('opening-balance.xlsx'), { fileName: 'opening-balance.xlsx', dryRun: true });
    expect(dry.body).toMatchObject({ status: 'validated', errors: [], totalRows: 24, writtenRows: 0 });
    expect((await get(key, '/v1/units')).items).toEqual([]);

    const res = await upload(t.url, key, legacy('opening-balance.xlsx'), { fileName: 'opening-balance.xlsx' });
    expect(res.body.sheets.map((s: any) => [s.sheet, s.kind, s.headerRow, s.rows])).toEqual([
      ['计量单位', 'units', 1, 3], ['单位换算', 'conversions', 1, 2], ['物料', 'materials', 3, 4], ['仓库', 'warehouses', 1, 2], ['库位', 'bins', 1, 2],
      ['客户', 'customers', 1, 2], ['供应商', 'suppliers', 1, 1], ['供应商物料', 'supplier-materials', 1, 1], ['期初库存', 'opening-stock', 1, 7],
    ]);
    const job = await finished(t.url, key, res.body.id);
    expect(job).toMatchObject({ status: 'done', totalRows: 24, writtenRows: 24, unchangedRows: 0, doneRows: 24, errors: [] });

    const materials = await listAll(t, key, '/v1/materials');
    expect(materials.map((m: any) => [m.code, m.name, m.baseUnit, m.purchaseUnit, m.tracking, m.trackExpiry])).toEqual([
      ['M-1001', '深沟球轴承 6204', 'PCS', 'BOX', 'batch', false],
      ['M-1002', '润滑脂', 'KG', 'KG', 'batch', true],
      ['M-1003', '电机 YE3-90L', 'PCS', 'PCS', 'serial', false],
      ['M-1004', '包装箱', 'PCS', 'PCS', 'none', false],
    ]);
    const customers = await listAll(t, key, '/v1/customers');
    expect(customers.map((c: any) => [c.code, c.uscc, c.settlement])).toEqual([
      ['C-001', '91320594MA1MX0000Y', { method: 'transfer', days: 30 }],
      ['C-002', '91310000MA1K30001G', { method: 'acceptance_bill', days: 60 }],
    ]);
    const balances = await listAll(t, key, '/v1/stock/balances');
    const byKey = balances.map((b: any) => [b.materialCode, b.warehouseCode, b.binCode ?? '', b.batchNo ?? '', b.serialNo ?? '', b.quantity]).sort();
    expect(byKey).toEqual([
      ['M-1001', 'WH-RAW', 'A-01-01', 'B2024-001', '', '1200'],
      ['M-1001', 'WH-RAW', 'A-01-02', 'B2024-002', '', '300'],
      ['M-1002', 'WH-RAW', '', 'G-77', '', '12.5'],
      ['M-1002', 'WH-RAW', '', 'G-78', '', '40'],
      ['M-1003', 'WH-RAW', '', '', 'SN-0001', '1'],
      ['M-1003', 'WH-RAW', '', '', 'SN-0002', '1'],
      ['M-1004', 'WH-QC', '', '', '', '50'],
    ]);
    const batches = await get(key, `/v1/materials/${materials[1].id}/batches`);
    expect(batches.items.map((b: any) => [b.batchNo, b.productionDate, b.expiryDate])).toEqual([
      ['G-77', '2024-10-01', '2025-09-30'],
      ['G-78', null, '2025-12-31'],
    ]);

    // S1-7.3-a: the same file again changes nothing.
    const again = await finished(t.url, key, (await upload(t.url, key, legacy('opening-balance.xlsx'), { fileName: 'opening-balance.xlsx' })).body.id);
    expect(again).toMatchObject({ status: 'done', totalRows: 24, writtenRows: 0, unchangedRows: 24 });
    expect((await listAll(t, key, '/v1/stock/balances')).map((b: any) => b.quantity).sort()).toEqual(['1', '1', '12.5', '1200', '300', '40', '50']);
    expect(await listAll(t, key, '/v1/materials')).toHaveLength(4);

    // S1-7.3-a: open documents back-filled, one per legacy order number, approved as the file says.
    const orders = await finished(t.url, key, (await upload(t.url, key, legacy('open-orders.xlsx'), { fileName: 'open-orders.xlsx' })).body.id);
    expect(orders).toMatchObject({ status: 'done', totalRows: 5, writtenRows: 5, errors: [] });
    const so = await listAll(t, key, '/v1/sales-orders');
    expect(so.map((o: any) => [o.customerCode, o.orderDate, o.status, o.lineCount ?? o.lines?.length]).sort()).toEqual([
      ['C-001', '2024-12-20', 'approved', 2],
      ['C-002', '2024-12-28', 'draft', 1],
    ]);
    const first = await get(key, `/v1/sales-orders/${so.find((o: any) => o.customerCode === 'C-001').id}`);
    expect(first.lines.map((l: any) => [l.materialCode, l.quantity, l.price, l.deliveryDate])).toEqual([['M-1001', '100', '12.5', '2025-01-15'], ['M-1004', '40', '2', '2025-01-20']]);
    const po = await listAll(t, key, '/v1/purchase-orders');
    expect(po.map((o: any) => [o.supplierCode, o.status])).toEqual([['S-001', 'approved']]);
    const poLines = (await get(key, `/v1/purchase-orders/${po[0].id}`)).lines;
    expect(poLines.map((l: any) => [l.materialCode, l.quantity, l.unit, l.neededBy])).toEqual([['M-1001', '500', 'PCS', '2025-01-10'], ['M-1002', '25.5', 'KG', '2025-01-12']]);
    const ordersAgain = await finished(t.url, key, (await upload(t.url, key, legacy('open-orders.xlsx'), { fileName: 'open-orders.xlsx' })).body.id);
    expect(ordersAgain).toMatchObject({ status: 'done', writtenRows: 0, unchangedRows: 5 });
    expect(await listAll(t, key, '/v1/sales-orders')).toHaveLength(2);
    expect(await listAll(t, key, '/v1/purchase-orders')).toHaveLength(1);

    // Approving through an import needs the approve permission, as the approve route does.
    const clerk = (await t.call('POST', '/v1/api-keys', { name: 'clerk', permissions: ['imports:write', 'imports:read', 'sales:write'] }, { authorization: `Bearer ${key}` })).body.key;
    const csv = Buffer.from('原销售订单号,客户编码,物料编码,未交数量,单价,交货日期,单据状态\r\nXS-2025-0001,C-001,M-1001,5,10,2025-03-01,已审核\r\n');
    const refused = (await upload(t.url, clerk, csv, { kind: 'sales-orders', fileName: 'so.csv' })).body;
    expect(refused.errors.map((e: any) => [e.row, e.code])).toEqual([[2, 'PERMISSION_DENIED']]);
    expect(await listAll(t, key, '/v1/sales-orders')).toHaveLength(2);
  });

  it('S1-7.3-a: CSV from Excel on Chinese Windows (GBK) and UTF-8 with BOM decode; the error report comes back in GBK with an error column', async () => {
    const { key } = await createTenant(t, 'imp-gbk');
    const units = await finished(t.url, key, (await upload(t.url, key, legacy('units-utf8-bom.csv'), { kind: 'units', fileName: 'units.csv' })).body.id);
    expect(units).toMatchObject({ status: 'done', encoding: 'utf-8-bom', writtenRows: 3 });
    expect((await get(key, '/v1/units')).items.map((u: any) => [u.code, u.name, u.decimals])).toEqual([['BOX', '箱', 0], ['KG', '千克', 3], ['PCS', '个', 0]]);

    const auto = await upload(t.url, key, legacy('materials-gbk.csv'), { kind: 'auto', fileName: '物料.csv' });
    const job = await finished(t.url, key, auto.body.id);
    expect(job).toMatchObject({ status: 'done', encoding: 'gb18030', writtenRows: 4, sheets: [{ sheet: '物料', kind: 'materials', headerRow: 1, rows: 4 }] });
    expect((await listAll(t, key, '/v1/materials')).map((m: any) => [m.code, m.name, m.specification, m.tracking, m.trackExpiry])).toEqual([
      ['M-1001', '深沟球轴承 6204', '20×47×14', 'batch', false],
      ['M-1002', '润滑脂', '1kg/罐', 'batch', true],
      ['M-1003', '电机 YE3-90L', '1.5kW', 'serial', false],
      ['M-1004', '包装箱', '', 'none', false],
    ]);

    const bad = iconv.encode('物料编码,物料名称,基本单位\r\nM-9001,齿轮,箱子\r\nM-9002,,PCS\r\n', 'gbk');
    const refused = (await upload(t.url, key, bad, { kind: 'materials', fileName: 'bad.csv' })).body;
    expect(refused.errors.map((e: any) => [e.row, e.column, e.value, e.code])).toEqual([
      [2, '基本单位 Base unit', '箱子', 'INVALID_FORMAT'],
      [3, '物料名称 Material name', '', 'REQUIRED'],
    ]);
    const report = await fetch(`${t.url}/v1/imports/${refused.id}/error-report`, { headers: { authorization: `Bearer ${key}` } });
    expect(report.headers.get('content-type')).toBe('text/csv; charset=gb18030');
    const text = iconv.decode(Buffer.from(await report.arrayBuffer()), 'gb18030').split('\r\n');
    expect(text[0]).toBe('物料编码,物料名称,基本单位,错误 Errors');
    expect(text[1]).toBe(`M-9001,齿轮,箱子,"[INVALID_FORMAT] 基本单位 Base unit ""箱子"": Base unit: Expected string to match '^[A-Za-z0-9_-]{1,16}$'"`);
    expect(text[2]).toBe('M-9002,,PCS,[REQUIRED] 物料名称 Material name: Material name is required');
    expect(await listAll(t, key, '/v1/materials')).toHaveLength(4);
  });

  it('S1-7.3-a: templates carry both headers, an example row and drop-down lists, and a filled template imports', async () => {
    const { key } = await createTenant(t, 'imp-template');
    const res = await fetch(`${t.url}/v1/imports/template?kind=materials&format=xlsx`, { headers: { authorization: `Bearer ${key}` } });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('物料')!;
    expect(ws.getRow(1).getCell(1).value).toBe('物料编码 Material code *');
    expect(ws.getRow(2).getCell(1).value).toBe('M-1001');
    expect(ws.getCell('J2').dataValidation).toMatchObject({ type: 'list', formulae: ['"none,batch,serial"'] });
    const csv = await (await fetch(`${t.url}/v1/imports/template?kind=units&format=csv`, { headers: { authorization: `Bearer ${key}` } })).arrayBuffer();
    const job = await finished(t.url, key, (await upload(t.url, key, Buffer.from(csv), { kind: 'units', fileName: 'units-template.csv' })).body.id);
    expect(job).toMatchObject({ status: 'done', writtenRows: 1 });
    expect((await get(key, '/v1/units')).items).toEqual([{ code: 'PCS', name: '个', decimals: 0, rounding: 'half_up' }]);
  });

  it('S1-7.3-a: an upload retried with the same Idempotency-Key answers the first job; a second upload of the same file writes nothing', async () => {
    const { key } = await createTenant(t, 'imp-retry');
    const post = () => fetch(`${t.url}/v1/imports?kind=units&fileName=units.csv`, {
      method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv', 'idempotency-key': 'units-upload-1' }, body: legacy('units-utf8-bom.csv'),
    });
    const first = await post();
    const firstJob = (await first.json()) as any;
    const again = await post();
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(((await again.json()) as any).id).toBe(firstJob.id);
    expect(await finished(t.url, key, firstJob.id)).toMatchObject({ status: 'done', writtenRows: 3 });
    const second = await finished(t.url, key, (await upload(t.url, key, legacy('units-utf8-bom.csv'), { kind: 'units', fileName: 'units.csv' })).body.id);
    expect(second).toMatchObject({ status: 'done', writtenRows: 0, unchangedRows: 3 });
  });

  it('S1-5.3.2-a: a tenant never sees another tenant\'s import job, its file or its error report; a key without the module\'s permission is refused', async () => {
    const a = await createTenant(t, 'imp-iso-a');
    const b = await createTenant(t, 'imp-iso-b');
    const job = (await upload(t.url, a.key, legacy('units-utf8-bom.csv'), { kind: 'units', fileName: 'units.csv', dryRun: true })).body;
    for (const path of [`/v1/imports/${job.id}`, `/v1/imports/${job.id}/error-report`]) {
      const res = await t.call('GET', path, undefined, { authorization: `Bearer ${b.key}` });
      expect(res.status).toBe(404);
      expect(res.body.code).toBe('RESOURCE_NOT_FOUND');
    }
    expect((await t.call('POST', `/v1/imports/${job.id}/resume`, undefined, { authorization: `Bearer ${b.key}` })).status).toBe(404);
    const narrow = (await t.call('POST', '/v1/api-keys', { name: 'imports-only', permissions: ['imports:write', 'imports:read'] }, { authorization: `Bearer ${a.key}` })).body.key;
    const denied = await upload(t.url, narrow, legacy('units-utf8-bom.csv'), { kind: 'units', fileName: 'units.csv' });
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'masterdata:write' });
    expect((await get(a.key, '/v1/units')).items).toEqual([]);
  });
});
