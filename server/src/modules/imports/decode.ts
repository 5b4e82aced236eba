import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { unprocessable, fieldError } from '../../platform/errors.js';

/** A sheet as its cells: rows[i] is spreadsheet row i + 1, cells[j] column j + 1. */
export interface RawSheet {
  name: string;
  rows: unknown[][];
}

export interface DecodedFile {
  format: 'csv' | 'xlsx';
  /** How the text was encoded: utf-8, utf-8-bom, gb18030 (GBK is a subset), utf-16le; xlsx for a workbook. */
  encoding: string;
  sheets: RawSheet[];
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/** CSV text from bytes as users have them: UTF-8 with or without BOM, UTF-16 (Excel's Unicode text), else GB18030/GBK. */
export function decodeText(bytes: Buffer): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: bytes.subarray(3).toString('utf8'), encoding: 'utf-8-bom' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: iconv.decode(bytes.subarray(2), 'utf-16le'), encoding: 'utf-16le' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: iconv.decode(bytes, 'gb18030'), encoding: 'gb18030' };
  }
}

/** Bytes of text in an encoding decodeText reported, so an error report goes back as it came. */
export function encodeText(text: string, encoding: string): Buffer {
  if (encoding === 'utf-8-bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
  if (encoding === 'utf-16le') return Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]);
  if (encoding === 'gb18030') return iconv.encode(text, 'gb18030');
  return Buffer.from(text, 'utf8');
}

/** RFC 4180 records (quotes, doubled quotes, line breaks inside quotes); the separator is a comma, or a tab for tab-separated text. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const sep = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === sep) record.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length) record.push(field), records.push(record);
  return records;
}

/** A workbook's sheets with merged cells read as their master cell, so a merged header reads the same in every column it spans. */
async function readXlsx(bytes: Buffer): Promise<RawSheet[]> {
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch (err) {
    throw unprocessable('IMPORT_FILE_UNREADABLE', `the file is not a readable XLSX workbook: ${(err as Error).message}`, [fieldError('(body)', 'UNREADABLE', 'not a workbook')]);
  }
  const sheets: RawSheet[] = [];
  wb.eachSheet((ws) => {
    if (ws.state && ws.state !== 'visible') return;
    const rows: unknown[][] = [];
    // columnCount walks every row: read it once.
    const width = ws.columnCount;
    for (let r = 1; r <= ws.rowCount; r++) {
      const row = ws.getRow(r);
      const cells: unknown[] = [];
      for (let c = 1; c <= Math.max(row.cellCount, width); c++) {
        const cell = row.getCell(c);
        cells.push(cell.isMerged && cell.master ? cell.master.value : cell.value);
      }
      rows.push(cells);
    }
    sheets.push({ name: ws.name, rows });
  });
  return sheets;
}

export async function decodeFile(bytes: Buffer, fileName: string): Promise<DecodedFile> {
  if (bytes.length === 0) throw unprocessable('IMPORT_FILE_EMPTY', 'send the file as the request body', [fieldError('(body)', 'EMPTY', 'no bytes')]);
  if (isZip(bytes)) return { format: 'xlsx', encoding: 'xlsx', sheets: await readXlsx(bytes) };
  const { text, encoding } = decodeText(bytes);
  return { format: 'csv', encoding, sheets: [{ name: fileName.replace(/\.[^.]*$/, '') || 'csv', rows: parseCsv(text) }] };
}
