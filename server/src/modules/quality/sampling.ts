/**
 * AQL sampling per GB/T 2828.1-2012 (ISO 2859-1:1999), single sampling, as data and rules:
 * Table 1 (lot size → sample size code letter by inspection level) and the master tables 2-A
 * (normal), 2-B (tightened) and 2-C (reduced), with the arrows followed to the first plan below or
 * above. The master tables are diagonal: along a row the acceptance number grows with the AQL, and
 * one row down it grows one AQL step earlier, so a cell is fixed by its diagonal (AQL index + row
 * index) and the table's boundaries. quality-sampling.test.ts checks published cells.
 */

export const LEVELS = ['S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III'] as const;
export type InspectionLevel = (typeof LEVELS)[number];
export const SEVERITIES = ['normal', 'tightened', 'reduced'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Preferred AQLs, in percent nonconforming (up to 10) or nonconformities per 100 units. */
export const AQLS = ['0.010', '0.015', '0.025', '0.040', '0.065', '0.10', '0.15', '0.25', '0.40', '0.65', '1.0', '1.5', '2.5', '4.0', '6.5', '10', '15', '25', '40', '65', '100', '150', '250', '400', '650', '1000'] as const;
export type Aql = (typeof AQLS)[number];

const LETTERS = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'J', 'K', 'L', 'M', 'N', 'P', 'Q', 'R'] as const;
export type CodeLetter = (typeof LETTERS)[number] | 'S';

/** Table 1: upper bounds of the lot-size classes, and the code letters per level (one letter per class). */
const LOT_BOUNDS = [8, 15, 25, 50, 90, 150, 280, 500, 1200, 3200, 10_000, 35_000, 150_000, 500_000, Infinity];
const TABLE_1: Record<InspectionLevel, string> = {
  'S-1': 'AAAABBBBCCCDDDD',
  'S-2': 'AAABBBCCCDDEEEE',
  'S-3': 'AABBCCDDEEFFGGH',
  'S-4': 'AABCCDEEFGGHJJK',
  I: 'AABCCDEFGHJKLMN',
  II: 'ABCDEFGHJKLMNPQ',
  III: 'BCDEFGHJKLMNPQR',
};

const NORMAL_N = [2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800, 1250, 2000];
const REDUCED_N = [2, 2, 2, 3, 5, 8, 13, 20, 32, 50, 80, 125, 200, 315, 500, 800];
/** Tightened inspection's extra row below R, reached only by following a down arrow from R. */
const TIGHTENED_S = { letter: 'S' as const, sampleSize: 3150, ac: 1, re: 2 };

export function codeLetter(lotSize: number, level: InspectionLevel): CodeLetter {
  if (!Number.isInteger(lotSize) || lotSize < 2) throw new RangeError('lot size must be a whole number of at least 2');
  const k = LOT_BOUNDS.findIndex((b) => lotSize <= b);
  return TABLE_1[level][k] as CodeLetter;
}

type Cell = { ac: number; re: number } | 'up' | 'down';

interface Table {
  sampleSizes: number[];
  /** The diagonal (AQL index + row index) holding Ac 0 Re 1. */
  zero: number;
  /** The cell at each distance from the zero diagonal: a plan, or an arrow to the first plan below or above. */
  ladder: ({ ac: number; re: number } | 'up' | 'down')[];
  /** The last ladder step rows F and below have (the tables end in up arrows below the top rows). */
  lowerRowsMaxStep: number;
}

const pair = (ac: number) => ({ ac, re: ac + 1 });

// 2-A: 0/1, ↑, ↓, 1/2, 2/3, 3/4, 5/6, 7/8, 10/11, 14/15, 21/22, 30/31, 44/45.
const NORMAL: Table = {
  sampleSizes: NORMAL_N, zero: 14, lowerRowsMaxStep: 10,
  ladder: [pair(0), 'up', 'down', ...[1, 2, 3, 5, 7, 10, 14, 21, 30, 44].map(pair)],
};
// 2-B: 0/1, ↓, ↓, 1/2, 2/3, 3/4, 5/6, 8/9, 12/13, 18/19, 27/28, 41/42; one AQL step stricter than 2-A.
const TIGHTENED: Table = {
  sampleSizes: NORMAL_N, zero: 15, lowerRowsMaxStep: 9,
  ladder: [pair(0), 'down', 'down', ...[1, 2, 3, 5, 8, 12, 18, 27, 41].map(pair)],
};
// 2-C (1999 edition: Re = Ac + 1): 0/1, ↑, ↓, 1/2, 1/2, 2/3, 3/4, 5/6, 6/7, 8/9, 10/11, 14/15, 21/22 at the reduced sample sizes.
const REDUCED: Table = {
  sampleSizes: REDUCED_N, zero: 14, lowerRowsMaxStep: 10,
  ladder: [pair(0), 'up', 'down', ...[1, 1, 2, 3, 5, 6, 8, 10, 14, 21].map(pair)],
};
const TABLES: Record<Severity, Table> = { normal: NORMAL, tightened: TIGHTENED, reduced: REDUCED };

function cell(t: Table, row: number, aql: number): Cell {
  const step = aql + row - t.zero;
  if (step < 0) return 'down';
  const maxStep = row <= 4 ? t.ladder.length - 1 : t.lowerRowsMaxStep;
  if (step > maxStep) return 'up';
  const c = t.ladder[step];
  // No row above A: its up arrow points down the column instead; no row below R: its down arrow points up.
  if (c === 'up' && row === 0) return 'down';
  if (c === 'down' && row === t.sampleSizes.length - 1 && t !== TIGHTENED) return 'up';
  return c;
}

export interface SamplingPlan {
  severity: Severity;
  level: InspectionLevel;
  aql: Aql;
  lotSize: number;
  /** The letter from Table 1. */
  codeLetter: CodeLetter;
  /** The letter whose plan is used after following the arrows. */
  planLetter: CodeLetter;
  sampleSize: number;
  ac: number;
  re: number;
  /** The sample is the whole lot when the plan's sample size reaches the lot size (the tables' note). */
  fullInspection: boolean;
}

export function samplingPlan(lotSize: number, level: InspectionLevel, aql: Aql, severity: Severity = 'normal'): SamplingPlan {
  const letter = codeLetter(lotSize, level);
  const t = TABLES[severity];
  const a = AQLS.indexOf(aql);
  if (a < 0) throw new RangeError(`AQL ${aql} is not a preferred value`);
  let row = LETTERS.indexOf(letter as (typeof LETTERS)[number]);
  for (;;) {
    const c = cell(t, row, a);
    if (c === 'down' && row === LETTERS.length - 1) {
      return finish({ severity, level, aql, lotSize, codeLetter: letter, planLetter: TIGHTENED_S.letter, sampleSize: TIGHTENED_S.sampleSize, ac: TIGHTENED_S.ac, re: TIGHTENED_S.re });
    }
    if (c === 'down') row++;
    else if (c === 'up') row--;
    else return finish({ severity, level, aql, lotSize, codeLetter: letter, planLetter: LETTERS[row], sampleSize: t.sampleSizes[row], ac: c.ac, re: c.re });
  }
}

function finish(p: Omit<SamplingPlan, 'fullInspection'>): SamplingPlan {
  return p.sampleSize >= p.lotSize ? { ...p, sampleSize: p.lotSize, fullInspection: true } : { ...p, fullInspection: false };
}

// ---------------------------------------------------------------------------------------------
// Switching rules (GB/T 2828.1 9.3), tracked per supplier and material.

export interface SwitchingState {
  severity: Severity | 'discontinued';
  /** Lot results under the current severity, newest last (true = accepted); at most the last 5 kept. */
  recent: boolean[];
  /** Consecutive lots accepted (tightened → normal after 5). */
  acceptedRun: number;
  /** Lots not accepted while tightened, cumulatively (discontinue at 5). */
  tightenedRejections: number;
  /** The switching score (9.3.3.2): normal → reduced at 30. */
  score: number;
}

export const INITIAL_STATE: SwitchingState = { severity: 'normal', recent: [], acceptedRun: 0, tightenedRejections: 0, score: 0 };

/**
 * The state after one more lot. `acceptedOneStepTighter` says whether the lot would also have been
 * accepted at the next stricter AQL (the switching score's +3 for Ac ≥ 2 plans).
 */
export function nextState(s: SwitchingState, lot: { accepted: boolean; ac: number; acceptedOneStepTighter: boolean }): SwitchingState {
  const recent = [...s.recent, lot.accepted].slice(-5);
  const acceptedRun = lot.accepted ? s.acceptedRun + 1 : 0;
  switch (s.severity) {
    case 'normal': {
      if (recent.filter((a) => !a).length >= 2) return { ...INITIAL_STATE, severity: 'tightened' };
      const gain = lot.ac <= 1 ? (lot.accepted ? 2 : -1) : lot.acceptedOneStepTighter ? 3 : -1;
      const score = gain < 0 ? 0 : s.score + gain;
      if (score >= 30) return { ...INITIAL_STATE, severity: 'reduced' };
      return { ...s, recent, acceptedRun, score };
    }
    case 'tightened': {
      const tightenedRejections = s.tightenedRejections + (lot.accepted ? 0 : 1);
      if (tightenedRejections >= 5) return { ...INITIAL_STATE, severity: 'discontinued', tightenedRejections };
      if (acceptedRun >= 5) return { ...INITIAL_STATE };
      return { ...s, recent, acceptedRun, tightenedRejections };
    }
    case 'reduced':
      return lot.accepted ? { ...s, recent, acceptedRun } : { ...INITIAL_STATE };
    case 'discontinued':
      return s;
  }
}

/** The plan one AQL step stricter, for the switching score; undefined below the first AQL. */
export function stricterAql(aql: Aql): Aql | undefined {
  const i = AQLS.indexOf(aql);
  return i > 0 ? AQLS[i - 1] : undefined;
}
