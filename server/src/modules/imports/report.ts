import ExcelJS from 'exceljs';
import { decodeText, encodeText, parseCsv } from './decode.js';
import { kindSpec } from './kinds.js';
import type { ImportJob } from './schema.js';
import { columnHeader, enumChoices, type KindSpec } from './spec.js';

export const ERROR_HEADER = '错误 Errors';

const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csvLine = (cells: string[]) => cells.map(csvField).join(',');

/** Every error of a row as one cell: `[CODE] column "value": message; …`. */
function messagesByRow(job: ImportJob): Map<string, string> {
  const out = new Map<string, string[]>();
  for (const e of job.errors) {
    const k = `${e.sheet}|${e.row}`;
    (out.get(k) ?? out.set(k, []).get(k)!).push(`[${e.code}] ${e.column}${e.value ? ` "${e.value}"` : ''}: ${e.message}`);
  }
  return new Map([...out].map(([k, v]) => [k, v.join('; ')]));
}

/**
 * The file as it came with an error column added at the header row: each row's errors beside it,
 * in the same format and (for CSV) the same encoding, so the user fixes the file they know.
 */
export async function errorReport(job: ImportJob, content: Buffer): Promise<Buffer> {
  const messages = messagesByRow(job);
  const headerRowOf = (sheet: string) => job.sheets.find((s) => s.sheet === sheet)?.headerRow ?? 1;
  if (job.format === 'csv') {
    const { text } = decodeText(content);
    const records = parseCsv(text);
    const sheet = job.errors[0]?.sheet ?? job.sheets[0]?.sheet ?? '';
    const header = headerRowOf(sheet);
    const width = Math.max(...records.map((r) => r.length));
    const lines = records.map((r, i) => {
      const cells = [...r, ...Array(width - r.length).fill('')];
      return csvLine([...cells, i + 1 === header ? ERROR_HEADER : messages.get(`${sheet}|${i + 1}`) ?? '']);
    });
    return encodeText(`${lines.join('\r\n')}\r\n`, job.encoding);
  }
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(content as unknown as ArrayBuffer);
  wb.eachSheet((ws) => {
    const header = headerRowOf(ws.name);
    const col = ws.columnCount + 1;
    const title = ws.getRow(header).getCell(col);
    title.value = ERROR_HEADER;
    title.font = { bold: true, color: { argb: 'FFC00000' } };
    for (let r = 1; r <= ws.rowCount; r++) {
      const m = messages.get(`${ws.name}|${r}`);
      if (!m) continue;
      const cell = ws.getRow(r).getCell(r === header ? col + 1 : col);
      cell.value = m;
      cell.font = { color: { argb: 'FFC00000' } };
    }
    ws.getColumn(col).width = 60;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const BOOLEAN_CHOICES = ['Y', 'N'];

/** A template for a kind: headers (Chinese and English, * when required), an example row; XLSX adds drop-down lists. */
export async function template(kind: string, format: 'csv' | 'xlsx'): Promise<Buffer> {
  const spec = kindSpec(kind)!;
  const headers = spec.columns.map((c) => `${columnHeader(c)}${c.required ? ' *' : ''}`);
  const example = spec.columns.map((c) => c.example);
  if (format === 'csv') return encodeText(`${csvLine(headers)}\r\n${csvLine(example)}\r\n`, 'utf-8-bom');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(spec.zh);
  ws.addRow(headers).font = { bold: true };
  ws.addRow(example);
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  spec.columns.forEach((c, i) => {
    ws.getColumn(i + 1).width = Math.max(14, columnHeader(c).length + 4);
    const choices = c.type === 'enum' ? enumChoices(c) : c.type === 'boolean' ? BOOLEAN_CHOICES : undefined;
    if (choices) {
      const letter = ws.getColumn(i + 1).letter;
      for (let r = 2; r <= 1000; r++) {
        ws.getCell(`${letter}${r}`).dataValidation = {
          type: 'list', allowBlank: !c.required, formulae: [`"${choices.join(',')}"`], showErrorMessage: true, errorTitle: c.en, error: `${c.zh} ${c.en}: ${choices.join(', ')}`,
        };
      }
    }
  });
  instructions(wb, spec);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function instructions(wb: ExcelJS.Workbook, spec: KindSpec): void {
  const ws = wb.addWorksheet('说明');
  ws.addRow(['列 Column', '必填 Required', '类型 Type', '可选值 Values']).font = { bold: true };
  for (const c of spec.columns) {
    ws.addRow([columnHeader(c), c.required ? '是 Y' : '', c.type, Object.entries(c.values ?? {}).map(([v, s]) => [v, ...s].join('/')).join(', ')]);
  }
  ws.getColumn(1).width = 28;
  ws.getColumn(4).width = 60;
}
