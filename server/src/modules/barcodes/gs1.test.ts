/**
 * The label payload (S1-5.4.3-g, S1-4.3.4, S1-4.2.5-a): GS1 application identifiers encoded to
 * both textual forms and parsed back, and every way a code can be unreadable.
 */
import { describe, expect, it } from 'vitest';
import { MesProblem } from '../../platform/errors.js';
import { AIS, GS, centuryYear, encodeGs1, looksLikeGs1, parseGs1, type Gs1Fields } from './gs1.js';

const NOW = new Date('2026-06-15T12:00:00Z');

const SAMPLE: Required<Gs1Fields> = {
  material: 'MAT-0001',
  batch: 'B2611-01',
  serial: 'SN-000042',
  expiry: '2027-12-31',
  productionDate: '2026-01-15',
  quantity: '250',
  location: { warehouse: 'WH1', bin: 'A-01-02' },
  document: 'DOC/2026/0001',
};
const KEYS = Object.keys(SAMPLE) as (keyof Gs1Fields)[];

/** The problem fn throws; fails when it throws nothing or something else. */
function problemOf(fn: () => unknown): MesProblem {
  try {
    fn();
  } catch (err) {
    if (err instanceof MesProblem) return err;
    throw err;
  }
  throw new Error('expected a problem, nothing was thrown');
}

function unreadable(text: string, code: string, message: RegExp | string) {
  const p = problemOf(() => parseGs1(text, NOW));
  expect(p.status).toBe(400);
  expect(p.code).toBe('BARCODE_UNREADABLE');
  expect(p.extras.errors).toHaveLength(1);
  expect(p.extras.errors![0]).toMatchObject({ in: 'body', field: 'code', code });
  expect(p.message).toMatch(message);
  expect(p.extras.errors![0].message).toMatch(message);
}

describe('GS1 round trips', () => {
  it('S1-5.4.3-g: every combination of the 8 AIs encodes to both forms and parses back unchanged (255 combinations)', () => {
    let checked = 0;
    for (let mask = 1; mask < 1 << KEYS.length; mask++) {
      const fields: Gs1Fields = {};
      for (let i = 0; i < KEYS.length; i++) if (mask & (1 << i)) Object.assign(fields, { [KEYS[i]]: SAMPLE[KEYS[i]] });
      const { humanReadable, raw } = encodeGs1(fields, NOW);
      expect(parseGs1(humanReadable, NOW), humanReadable).toEqual(fields);
      expect(parseGs1(raw, NOW), JSON.stringify(raw)).toEqual(fields);
      // Scanners commonly send the symbology identifier and an FNC1 in front.
      expect(parseGs1(`]C1${raw}`, NOW)).toEqual(fields);
      expect(parseGs1(`${GS}${raw}`, NOW)).toEqual(fields);

      // Raw: fixed-length AIs first; one GS between variable-length values, none at the end.
      const variable = AIS.filter((s) => !s.fixed && fields[s.key] !== undefined).length;
      expect(raw.split(GS).length - 1).toBe(Math.max(0, variable - 1));
      expect(raw.endsWith(GS)).toBe(false);
      const fixedAis = AIS.filter((s) => s.fixed && fields[s.key] !== undefined).map((s) => s.ai);
      if (fixedAis.length) expect(raw.startsWith(fixedAis[0])).toBe(true);
      checked++;
    }
    expect(checked).toBe(255);
  });

  it('S1-4.3.4: the human-readable form lists the AIs in label order with parentheses', () => {
    const { humanReadable, raw } = encodeGs1({ material: 'MAT-0001', batch: 'B2611-01', expiry: '2027-12-31' }, NOW);
    expect(humanReadable).toBe('(240)MAT-0001(10)B2611-01(17)271231');
    expect(raw).toBe(`17271231240MAT-0001${GS}10B2611-01`);
    const all = encodeGs1(SAMPLE, NOW);
    expect(all.humanReadable).toBe('(240)MAT-0001(10)B2611-01(21)SN-000042(17)271231(11)260115(30)250(91)WH1/A-01-02(92)DOC/2026/0001');
    expect(all.raw).toBe(`1727123111260115240MAT-0001${GS}10B2611-01${GS}21SN-000042${GS}30250${GS}91WH1/A-01-02${GS}92DOC/2026/0001`);
  });

  it('S1-5.4.3-g: parses the human-readable example of the brief', () => {
    expect(parseGs1('(240)MAT-0001(10)B2611-01(17)271231', NOW)).toEqual({ material: 'MAT-0001', batch: 'B2611-01', expiry: '2027-12-31' });
  });

  it('S1-5.4.3-g: a location without a bin round-trips as bin null; "WH1/" reads the same', () => {
    const { humanReadable, raw } = encodeGs1({ location: { warehouse: 'WH1' } }, NOW);
    expect(humanReadable).toBe('(91)WH1');
    expect(raw).toBe('91WH1');
    expect(parseGs1(humanReadable, NOW)).toEqual({ location: { warehouse: 'WH1', bin: null } });
    expect(parseGs1('(91)WH1/', NOW)).toEqual({ location: { warehouse: 'WH1', bin: null } });
    expect(encodeGs1({ location: { warehouse: 'WH1', bin: null } }, NOW).raw).toBe('91WH1');
    // The first "/" separates: a bin code may hold more.
    expect(parseGs1('(91)WH1/R1/S2', NOW)).toEqual({ location: { warehouse: 'WH1', bin: 'R1/S2' } });
  });

  it('S1-5.4.3-g: raw data: GS ends a variable value, the end of data ends the last; a GS after a fixed value is tolerated', () => {
    expect(parseGs1(`10B1${GS}21S1`, NOW)).toEqual({ batch: 'B1', serial: 'S1' });
    expect(parseGs1(`10B1${GS}21S1${GS}`, NOW)).toEqual({ batch: 'B1', serial: 'S1' });
    expect(parseGs1(`17271231${GS}10B1`, NOW)).toEqual({ expiry: '2027-12-31', batch: 'B1' });
    // A fixed-length value needs no separator: the next AI follows at once.
    expect(parseGs1('1727123111260115240M1', NOW)).toEqual({ expiry: '2027-12-31', productionDate: '2026-01-15', material: 'M1' });
    // Without a GS, a variable value runs to the end of the data.
    expect(parseGs1('10B117271231', NOW)).toEqual({ batch: 'B117271231' });
  });

  it('S1-5.4.3-g: ]C1 and other GS1 symbology identifiers, a leading FNC1 (GS) and surrounding line breaks are stripped', () => {
    const want = { material: 'M1', batch: 'B1' };
    expect(parseGs1(`]C1240M1${GS}10B1`, NOW)).toEqual(want);
    expect(parseGs1(`]C1${GS}240M1${GS}10B1`, NOW)).toEqual(want);
    expect(parseGs1(`${GS}240M1${GS}10B1`, NOW)).toEqual(want);
    expect(parseGs1(`]d2240M1${GS}10B1\r\n`, NOW)).toEqual(want);
    expect(parseGs1(`]Q3240M1${GS}10B1`, NOW)).toEqual(want);
    expect(parseGs1(']C1(240)M1(10)B1', NOW)).toEqual(want);
    expect(parseGs1('  (240)M1(10)B1\n', NOW)).toEqual(want);
  });

  it('S1-5.4.3-g: (30) quantity reads as a decimal string without leading zeros', () => {
    expect(parseGs1('(30)00000250', NOW)).toEqual({ quantity: '250' });
    expect(parseGs1('3012345678', NOW)).toEqual({ quantity: '12345678' });
    expect(parseGs1('(30)0', NOW)).toEqual({ quantity: '0' });
  });

  it('S1-5.4.3-g: values may use all of GS1 character set 82', () => {
    const value = '!"%&\'*+,-./09:;<=>?AZ_az';
    expect(parseGs1(`92${value}`, NOW)).toEqual({ document: value });
    expect(parseGs1(`92a(b)`, NOW)).toEqual({ document: 'a(b)' });
  });

  it('S1-5.4.3-g: looksLikeGs1 tells GS1 data from a bare code', () => {
    expect(looksLikeGs1('(240)M1')).toBe(true);
    expect(looksLikeGs1(']C1240M1')).toBe(true);
    expect(looksLikeGs1(`240M1${GS}10B1`)).toBe(true);
    expect(looksLikeGs1('MAT-0001')).toBe(false);
  });
});

describe('GS1 dates', () => {
  it('S1-5.4.3-g: the century rule puts YY within -49..+50 years of the current year', () => {
    expect(centuryYear(26, NOW)).toBe(2026);
    expect(centuryYear(76, NOW)).toBe(2076); // +50
    expect(centuryYear(77, NOW)).toBe(1977); // -49
    expect(centuryYear(0, NOW)).toBe(2000);
    expect(parseGs1('(17)761231', NOW).expiry).toBe('2076-12-31');
    expect(parseGs1('(11)770101', NOW).productionDate).toBe('1977-01-01');
    // Near a century's end the window crosses it.
    const late = new Date('2098-03-01T00:00:00Z');
    expect(parseGs1('(17)050101', late).expiry).toBe('2105-01-01');
    expect(parseGs1('(17)480101', late).expiry).toBe('2148-01-01');
    expect(parseGs1('(17)490101', late).expiry).toBe('2049-01-01');
    const early = new Date('2003-03-01T00:00:00Z');
    expect(parseGs1('(17)530101', early).expiry).toBe('2053-01-01');
    expect(parseGs1('(17)540101', early).expiry).toBe('1954-01-01');
  });

  it('S1-5.4.3-g: day 00 means the last day of the month (leap years included)', () => {
    expect(parseGs1('(17)271200', NOW).expiry).toBe('2027-12-31');
    expect(parseGs1('(17)270200', NOW).expiry).toBe('2027-02-28');
    expect(parseGs1('(17)280200', NOW).expiry).toBe('2028-02-29');
    expect(parseGs1('(11)260400', NOW).productionDate).toBe('2026-04-30');
    expect(parseGs1('17270600', NOW).expiry).toBe('2027-06-30');
  });

  it('S1-4.3.4: encoding refuses a date a 2-digit year cannot name, and encodes the day explicitly', () => {
    expect(encodeGs1({ expiry: '2028-02-29' }, NOW).raw).toBe('17280229');
    const p = problemOf(() => encodeGs1({ expiry: '2099-01-01' }, NOW));
    expect(p.status).toBe(422);
    expect(p.code).toBe('BARCODE_NOT_ENCODABLE');
    expect(p.extras.errors![0]).toMatchObject({ field: 'fields.expiry', code: 'BAD_DATE' });
    expect(p.message).toMatch(/1977\.\.2076/);
    expect(problemOf(() => encodeGs1({ productionDate: '2026-02-30' }, NOW)).extras.errors![0]).toMatchObject({ field: 'fields.productionDate', code: 'BAD_DATE' });
  });
});

describe('unreadable codes', () => {
  it('S1-5.4.3-g: an unknown AI is named, in either form', () => {
    unreadable('(99)X', 'UNKNOWN_AI', /unknown application identifier \(99\) at position 1/);
    unreadable('99X', 'UNKNOWN_AI', /unknown application identifier \(99\) at position 1/);
    unreadable(`10B1${GS}99X`, 'UNKNOWN_AI', /unknown application identifier \(99\) at position 6/);
    unreadable('(01)09501101530003', 'UNKNOWN_AI', /\(01\)/);
    unreadable('2500X', 'UNKNOWN_AI', /\(250\)/);
    unreadable('3103000123', 'UNKNOWN_AI', /\(3103\)/);
  });

  it('S1-5.4.3-g: a value too long says which AI and its limit', () => {
    unreadable(`(10)${'B'.repeat(21)}`, 'TOO_LONG', /\(10\) batch number is too long: 21 characters, at most 20/);
    unreadable(`21${'S'.repeat(21)}`, 'TOO_LONG', /\(21\) serial number is too long: 21 characters, at most 20/);
    unreadable(`(240)${'M'.repeat(31)}`, 'TOO_LONG', /\(240\) material code is too long: 31 characters, at most 30/);
    unreadable('(30)123456789', 'TOO_LONG', /\(30\) quantity is too long: 9 characters, at most 8/);
    unreadable(`(91)${'W'.repeat(91)}`, 'TOO_LONG', /at most 90/);
    unreadable(`(92)${'D'.repeat(91)}`, 'TOO_LONG', /at most 90/);
    unreadable('(17)2712310', 'TOO_LONG', /\(17\) expiry date is too long: 6 digits expected, 7 found/);
  });

  it('S1-5.4.3-g: a bad date says what is wrong', () => {
    unreadable('(17)271331', 'BAD_DATE', /\(17\) expiry date "271331" has month 13; 01 to 12 expected/);
    unreadable('(17)270001', 'BAD_DATE', /month 00/);
    unreadable('(17)271232', 'BAD_DATE', /has day 32; 2027-12 has 31 days/);
    unreadable('(11)270229', 'BAD_DATE', /\(11\) production date "270229" has day 29; 2027-02 has 28 days/);
    unreadable('17AB1231', 'BAD_DATE', /not YYMMDD digits/);
  });

  it('S1-5.4.3-g: truncated data is reported as truncated', () => {
    unreadable('1727123', 'TRUNCATED', /\(17\) expiry date is truncated: 6 digits expected, 5 found/);
    unreadable(`172712${GS}10B1`, 'TRUNCATED', /truncated: 6 digits expected, 4 found/);
    unreadable('(17)2712', 'TRUNCATED', /\(17\) expiry date is truncated: 6 digits expected, 4 found/);
    unreadable('(17)', 'TRUNCATED', /\(17\) expiry date is empty/);
    unreadable('(240)M1(1', 'TRUNCATED', /ends inside an application identifier at position 8/);
    unreadable('(240)M1(10', 'TRUNCATED', /ends inside an application identifier/);
    unreadable(`10B1${GS}2`, 'TRUNCATED', /ends inside an application identifier at position 6/);
    unreadable('24', 'TRUNCATED', /ends inside an application identifier/);
  });

  it('S1-5.4.3-g: empty values, characters outside set 82, duplicates and malformed text are refused', () => {
    unreadable('', 'EMPTY', /holds no data/);
    unreadable(']C1', 'EMPTY', /holds no data/);
    unreadable('(10)', 'EMPTY', /\(10\) batch number is empty/);
    unreadable(`10${GS}21S1`, 'EMPTY', /\(10\) batch number is empty/);
    unreadable('(91)/A1', 'EMPTY', /no warehouse code/);
    unreadable('(10)B 1', 'BAD_CHARACTER', /\(10\) batch number has a character outside GS1 character set 82/);
    unreadable('(10)B#1', 'BAD_CHARACTER', /character set 82/);
    unreadable('(10)Bé', 'BAD_CHARACTER', /character set 82/);
    unreadable(`(10)B1${GS}`, 'BAD_CHARACTER', /character set 82/);
    unreadable('(30)12a', 'BAD_QUANTITY', /\(30\) quantity "12a" is not a whole count/);
    unreadable('(10)B1(10)B2', 'DUPLICATE_AI', /AI \(10\) appears twice \(position 7\)/);
    unreadable(`10B1${GS}10B2`, 'DUPLICATE_AI', /AI \(10\) appears twice/);
    unreadable('(2x)B1', 'MALFORMED', /expected an application identifier "\(NN\)" at position 1/);
    unreadable('(240)M(1)', 'MALFORMED', /at position 7/);
    unreadable('MAT-0001', 'MALFORMED', /expected an application identifier \(digits\) at position 1/);
  });

  it('S1-5.4.3-g: the problem names another field when asked', () => {
    const p = problemOf(() => parseGs1('(99)X', NOW, 'lines[0].barcode'));
    expect(p.extras.errors![0]).toMatchObject({ field: 'lines[0].barcode', code: 'UNKNOWN_AI' });
  });
});

describe('encoding refusals', () => {
  it('S1-4.3.4: values outside set 82, parentheses, over-long values and empty fields cannot be encoded (422)', () => {
    const cases: [Gs1Fields, string, string][] = [
      [{ material: 'MAT 1' }, 'fields.material', 'BAD_CHARACTER'],
      [{ batch: 'B(1)' }, 'fields.batch', 'BAD_CHARACTER'],
      [{ serial: 'S'.repeat(21) }, 'fields.serial', 'TOO_LONG'],
      [{ quantity: '1.5' }, 'fields.quantity', 'BAD_QUANTITY'],
      [{ quantity: '123456789' }, 'fields.quantity', 'BAD_QUANTITY'],
      [{ location: { warehouse: 'W/1', bin: 'A' } }, 'fields.location', 'BAD_CHARACTER'],
      [{ location: { warehouse: 'W'.repeat(50), bin: 'B'.repeat(40) } }, 'fields.location', 'TOO_LONG'],
      [{ expiry: '31.12.2027' }, 'fields.expiry', 'BAD_DATE'],
      [{ document: '' }, 'fields.document', 'EMPTY'],
    ];
    for (const [fields, field, code] of cases) {
      const p = problemOf(() => encodeGs1(fields, NOW));
      expect(p.status, JSON.stringify(fields)).toBe(422);
      expect(p.code).toBe('BARCODE_NOT_ENCODABLE');
      expect(p.extras.errors![0], JSON.stringify(fields)).toMatchObject({ field, code });
    }
    const empty = problemOf(() => encodeGs1({}, NOW));
    expect(empty.message).toMatch(/no fields/);
  });
});
