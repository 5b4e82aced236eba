/**
 * imports: rows per second of an import job's two phases (S1-7.3-a) for materials and for opening
 * stock, each from an XLSX workbook uploaded to a server process on a fresh PostgreSQL database,
 * and the ratio of the write phase to COPY of the same rows in the same run (the aim is ≥ 0.3).
 *
 * COPY baseline: materials straight into `materials`; opening stock straight into `stock_movements`
 * and `stock_balances` (what the write posts, without its documents). Both into a second tenant,
 * as the owner, through pg-copy-streams. Sizes: MES_BENCH_IMPORT_MATERIALS (default 5,000) and
 * MES_BENCH_IMPORT_STOCK (default 5,000); the full run is 100,000 and 300,000.
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { freePort, readAdminKey, request } from './api-overhead.js';
import { freshDatabase } from './database.js';

const MATERIALS = Number(process.env.MES_BENCH_IMPORT_MATERIALS ?? 5000);
const STOCK = Number(process.env.MES_BENCH_IMPORT_STOCK ?? 5000);

export interface ImportPhase {
  rows: number;
  validateRowsPerSecond: number;
  writeRowsPerSecond: number;
  copyRowsPerSecond: number;
  /** Write phase over COPY of the same rows. */
  ratio: number;
}

export interface ImportBenchResult {
  materials: ImportPhase;
  openingStock: ImportPhase;
  fileBytes: { materials: number; openingStock: number };
}

async function workbook(sheet: string, header: string[], rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheet);
  ws.addRow(header);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function upload(port: number, key: string, file: Buffer, fileName: string): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/v1/imports?kind=auto&fileName=${fileName}`, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/octet-stream' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => (res.statusCode === 201 ? resolve(JSON.parse(Buffer.concat(chunks).toString())) : reject(new Error(`upload: ${res.statusCode} ${Buffer.concat(chunks)}`))));
    });
    req.on('error', reject);
    req.end(file);
  });
}

async function runJob(port: number, agent: http.Agent, key: string, file: Buffer, fileName: string) {
  let job = await upload(port, key, file, fileName);
  if (job.status !== 'writing') throw new Error(`${fileName}: ${job.status} ${JSON.stringify(job.errors.slice(0, 5))}`);
  while (job.status === 'writing') {
    await new Promise((r) => setTimeout(r, 200));
    job = JSON.parse((await request(agent, port, 'GET', `/v1/imports/${job.id}`, key)).body);
  }
  if (job.status !== 'done' || job.writtenRows !== job.totalRows) throw new Error(`${fileName}: ${job.status} ${job.writtenRows}/${job.totalRows}`);
  return job;
}

async function copyRows(client: pg.Client, table: string, columns: string[], lines: string[]): Promise<number> {
  const t0 = performance.now();
  await pipeline(Readable.from([Buffer.from(lines.join(''))]), client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`)));
  return performance.now() - t0;
}

const perSecond = (rows: number, ms: number) => Math.round(rows / (ms / 1000));

export async function importBench(): Promise<ImportBenchResult> {
  const db = await freshDatabase('imports');
  const port = await freePort();
  const server = spawn(process.execPath, [fileURLToPath(new URL('../../dist/main.js', import.meta.url))], {
    env: { ...process.env, MES_DATABASE_URL: db.url, MES_HOST: '127.0.0.1', MES_PORT: String(port), MES_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const agent = new http.Agent({ keepAlive: true });
  const owner = new pg.Client({ connectionString: db.url });
  try {
    const adminKey = await readAdminKey(server);
    const api = async (path: string, key: string, body: unknown) => {
      const r = await request(agent, port, 'POST', path, key, body);
      if (r.status !== 201) throw new Error(`${path}: ${r.status} ${r.body}`);
      return JSON.parse(r.body);
    };
    const tenant = await api('/v1/tenants', adminKey, { slug: 'bench-import', name: 'Bench import', plan: 'unlimited' });
    const key: string = tenant.apiKey.key;
    await api('/v1/units', key, { code: 'PCS', name: 'Pieces', decimals: 0 });
    // More stock lines than materials go to further warehouses: a material's line is unique per
    // warehouse (and batch), as a legacy export of several warehouses is.
    const warehouses = Array.from({ length: Math.ceil(STOCK / MATERIALS) }, (_, w) => `WH${w}`);
    for (const wh of warehouses) await api('/v1/warehouses', key, { code: wh, name: `Warehouse ${wh}` });

    const code = (i: number) => `BM-${String(i).padStart(7, '0')}`;
    const materialsFile = await workbook('物料', ['物料编码', '物料名称', '规格型号', '基本单位', '追溯方式'], Array.from({ length: MATERIALS }, (_, i) => [code(i), `物料 ${i}`, `SPEC-${i % 97}`, 'PCS', i % 2 ? '批次' : '无']));
    const stockFile = await workbook('期初库存', ['物料编码', '仓库编码', '数量', '批号'], Array.from({ length: STOCK }, (_, i) => {
      const m = i % MATERIALS;
      return [code(m), warehouses[Math.floor(i / MATERIALS)], (i % 50) + 1, m % 2 ? `B-${i}` : ''];
    }));
    const mJob = await runJob(port, agent, key, materialsFile, 'materials.xlsx');
    const sJob = await runJob(port, agent, key, stockFile, 'opening-stock.xlsx');

    // COPY of the same rows into a second tenant, as the owner.
    await owner.connect();
    const other = randomUUID();
    await owner.query(`INSERT INTO tenants (id, slug, name, plan_code) VALUES ($1, 'bench-copy', 'Bench copy', 'unlimited')`, [other]);
    await owner.query(`INSERT INTO units (tenant_id, code, name, decimals) VALUES ($1, 'PCS', 'Pieces', 0)`, [other]);
    const whIds: string[] = [];
    for (const wh of warehouses) whIds.push((await owner.query<{ id: string }>(`INSERT INTO warehouses (tenant_id, code, name) VALUES ($1, $2, $2) RETURNING id`, [other, wh])).rows[0].id);
    const whOf = (i: number) => whIds[Math.floor(i / MATERIALS)];
    const ids = Array.from({ length: MATERIALS }, () => randomUUID());
    const mMs = await copyRows(owner, 'materials', ['id', 'tenant_id', 'code', 'name', 'specification', 'base_unit', 'purchase_unit', 'sales_unit', 'stock_unit', 'production_unit', 'tracking'],
      ids.map((id, i) => `${id}\t${other}\t${code(i)}\t物料 ${i}\tSPEC-${i % 97}\tPCS\tPCS\tPCS\tPCS\tPCS\t${i % 2 ? 'batch' : 'none'}\n`));
    const source = randomUUID();
    const sMs = await copyRows(owner, 'stock_movements', ['tenant_id', 'movement_type', 'material_id', 'warehouse_id', 'quantity', 'entered_quantity', 'entered_unit', 'source_type', 'source_id', 'source_line', 'posted_by'],
      Array.from({ length: STOCK }, (_, i) => `${other}\tother_in\t${ids[i % MATERIALS]}\t${whOf(i)}\t${(i % 50) + 1}\t${(i % 50) + 1}\tPCS\tstock_document\t${source}\t${i + 1}\tbench\n`))
      + await copyRows(owner, 'stock_balances', ['tenant_id', 'material_id', 'warehouse_id', 'quantity'],
        Array.from({ length: STOCK }, (_, i) => `${other}\t${ids[i % MATERIALS]}\t${whOf(i)}\t1\n`));

    const phase = (job: any, rows: number, copyMs: number): ImportPhase => {
      const write = perSecond(rows, job.writeMs);
      const copy = perSecond(rows, copyMs);
      return { rows, validateRowsPerSecond: perSecond(rows, job.validateMs), writeRowsPerSecond: write, copyRowsPerSecond: copy, ratio: Number((write / copy).toFixed(3)) };
    };
    return { materials: phase(mJob, MATERIALS, mMs), openingStock: phase(sJob, STOCK, sMs), fileBytes: { materials: materialsFile.length, openingStock: stockFile.length } };
  } finally {
    agent.destroy();
    await owner.end().catch(() => {});
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    await db.drop();
  }
}

export function printImportBench(r: ImportBenchResult): void {
  console.log('\nimports: XLSX import jobs on PostgreSQL, rows/s per phase, write phase vs COPY of the same rows (aim ≥ 0.3)');
  for (const [name, p] of [['materials', r.materials], ['opening stock', r.openingStock]] as const) {
    console.log(`  ${name.padEnd(14)} ${String(p.rows).padStart(7)} rows  validate ${String(p.validateRowsPerSecond).padStart(6)} rows/s  write ${String(p.writeRowsPerSecond).padStart(6)} rows/s  COPY ${String(p.copyRowsPerSecond).padStart(7)} rows/s  ratio ${p.ratio}`);
  }
}
