/** The record time check of the ingest (S1-5.3.8-b): the fast digit check agrees with a Date round trip. */
import { describe, expect, it } from 'vitest';
import { tsMillis } from './ingest.js';

/** The definition: RFC 3339 UTC with milliseconds, existing as written (it round-trips through Date). */
const roundTrip = (s: string) => (/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(s) && new Date(s).toISOString() === s ? Date.parse(s) : NaN);

describe('record times', () => {
  it('S1-5.3.8-b: times that do not exist as written are refused (30 February, 29 February of a common year, 24:00, month 13); leap days are kept', () => {
    for (const s of ['2026-02-30T00:00:00.000Z', '2026-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2026-12-03T24:00:00.000Z', '2026-13-01T00:00:00.000Z', '2026-12-03T06:60:00.000Z', '2026-12-03T06:00:00Z', '2026-12-03 06:00:00.000Z']) {
      expect(tsMillis(s), s).toBeNaN();
    }
    expect(tsMillis('2024-02-29T23:59:59.999Z')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(tsMillis('2000-02-29T00:00:00.000Z')).toBe(Date.UTC(2000, 1, 29));
    expect(tsMillis('0050-01-01T00:00:00.000Z')).toBe(Date.parse('0050-01-01T00:00:00.000Z'));
    expect(tsMillis(1_700_000_000_000)).toBeNaN();
  });

  it('S1-5.3.8-b: on 100,000 times from year 1938 to 2223 it answers what the Date round trip answers', () => {
    let seed = 42;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 100_000; i++) {
      const s = new Date(Math.floor(next() * 8e12) - 1e12).toISOString();
      expect(tsMillis(s)).toBe(roundTrip(s));
    }
  });
});
