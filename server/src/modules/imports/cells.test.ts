/** What legacy cells hold, read plainly (S1-7.3-a): full-width text, dates in every spelling, numbers, yes/no. */
import { describe, expect, it } from 'vitest';
import { cellText, headerKey, parseBoolean, parseDate, parseDecimal, parseInteger, parseTime } from './cells.js';
import { KINDS } from './kinds.js';
import { IMPORT_KINDS } from './schema.js';
import { parseCsv, decodeText } from './decode.js';

describe('import cells', () => {
  it('S1-7.3-a: full-width digits and letters, ideographic and trailing blanks', () => {
    expect(cellText('Ｍ－１００１　 ')).toBe('M-1001');
    expect(cellText({ richText: [{ text: '轴承' }, { text: ' 6204 ' }] })).toBe('轴承 6204');
    expect(headerKey('数量（KG）*')).toBe('数量');
    expect(headerKey(' Material code ')).toBe('materialcode');
  });

  it('S1-7.3-a: dates as Excel serials, spreadsheet dates and text; impossible dates refused', () => {
    expect(parseDate(45658)).toBe('2025-01-01');
    expect(parseDate('45658')).toBe('2025-01-01');
    expect(parseDate(new Date(Date.UTC(2024, 1, 29)))).toBe('2024-02-29');
    expect(['2024-1-31', '2024/01/31', '2024.1.31', '20240131', '2024年1月31日', '２０２４－０１－３１'].map(parseDate)).toEqual(Array(6).fill('2024-01-31'));
    expect([parseDate('2025-02-30'), parseDate('31/01/2024'), parseDate('soon')]).toEqual([undefined, undefined, undefined]);
  });

  it('S1-7.3-a: numbers with separators and full-width digits; integers; yes and no in two languages', () => {
    expect([parseDecimal('1,200'), parseDecimal('１２.５'), parseDecimal(' 3 '), parseDecimal('1２x')]).toEqual(['1200', '12.5', '3', undefined]);
    expect([parseInteger('30'), parseInteger('30.0'), parseInteger('3.5'), parseInteger('九')]).toEqual([30, 30, undefined, undefined]);
    expect(['是', 'Y', 'true', '1', '否', 'n', '0', '也许'].map(parseBoolean)).toEqual([true, true, true, true, false, false, false, undefined]);
  });

  it('S1-7.3-a: times of day as text, Excel time cells and fractions of a day; impossible times refused', () => {
    expect(['8:00', '08:00', '08:00:00', '8点', '8点30', '０８：００'].map(parseTime)).toEqual(['08:00', '08:00', '08:00', '08:00', '08:30', '08:00']);
    expect([parseTime(new Date(Date.UTC(1899, 11, 30, 20, 15))), parseTime(0.75), parseTime(0.5 + 1 / 1440)]).toEqual(['20:15', '18:00', '12:01']);
    expect([parseTime('25:00'), parseTime('8:60'), parseTime(1.5), parseTime('早上')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('S1-7.3-a: CSV as Excel writes it: quoted fields, doubled quotes, line breaks inside quotes; GBK decodes', () => {
    expect(parseCsv('a,"b,c","say ""hi""\r\nthere"\r\n1,2,3\r\n')).toEqual([['a', 'b,c', 'say "hi"\r\nthere'], ['1', '2', '3']]);
    expect(decodeText(Buffer.from([0xce, 0xef, 0xc1, 0xcf]))).toEqual({ text: '物料', encoding: 'gb18030' });
    expect(decodeText(Buffer.from([0xef, 0xbb, 0xbf, 0x61]))).toEqual({ text: 'a', encoding: 'utf-8-bom' });
  });

  it('every kind the API names has a column map, and every column map is named by the API', () => {
    expect(KINDS.map((k) => k.kind)).toEqual([...IMPORT_KINDS]);
  });
});
