/**
 * The AQL tables of GB/T 2828.1-2012 (ISO 2859-1:1999) against published cells: Table 1's code
 * letters, and single sampling plans of Tables 2-A, 2-B and 2-C with their arrows; the switching
 * rules of clause 9.3.
 */
import { describe, expect, it } from 'vitest';
import { INITIAL_STATE, codeLetter, nextState, samplingPlan, type SwitchingState } from '../src/modules/quality/sampling.js';

const plan = (...a: Parameters<typeof samplingPlan>) => {
  const p = samplingPlan(...a);
  return [p.planLetter, p.sampleSize, p.ac, p.re];
};

describe('sample size code letters (Table 1)', () => {
  it('S1-5.4.5-a gives the published letter per lot size and inspection level', () => {
    expect(codeLetter(1000, 'II')).toBe('J');
    expect(codeLetter(8, 'II')).toBe('A');
    expect(codeLetter(9, 'II')).toBe('B');
    expect(codeLetter(500, 'II')).toBe('H');
    expect(codeLetter(501, 'II')).toBe('J');
    expect(codeLetter(1201, 'I')).toBe('H');
    expect(codeLetter(3200, 'III')).toBe('L');
    expect(codeLetter(10_000, 'S-4')).toBe('G');
    expect(codeLetter(35_001, 'S-3')).toBe('G');
    expect(codeLetter(600_000, 'S-1')).toBe('D');
    expect(codeLetter(600_000, 'II')).toBe('Q');
    expect(codeLetter(600_000, 'III')).toBe('R');
    expect(codeLetter(2, 'III')).toBe('B');
    expect(() => codeLetter(1, 'II')).toThrow(RangeError);
  });
});

describe('single sampling plans (Tables 2-A, 2-B, 2-C)', () => {
  it('S1-5.4.5-a normal inspection: published cells', () => {
    expect(plan(1000, 'II', '1.0')).toEqual(['J', 80, 2, 3]);
    expect(plan(1000, 'II', '2.5')).toEqual(['J', 80, 5, 6]);
    expect(plan(1000, 'II', '0.65')).toEqual(['J', 80, 1, 2]);
    expect(plan(1000, 'II', '4.0')).toEqual(['J', 80, 7, 8]);
    expect(plan(1000, 'II', '6.5')).toEqual(['J', 80, 10, 11]);
    expect(plan(2000, 'II', '1.0')).toEqual(['K', 125, 3, 4]);
    expect(plan(5000, 'II', '2.5')).toEqual(['L', 200, 10, 11]);
    expect(plan(100, 'II', '2.5')).toEqual(['F', 20, 1, 2]);
    expect(plan(200, 'II', '2.5')).toEqual(['G', 32, 2, 3]);
    expect(plan(400, 'II', '2.5')).toEqual(['H', 50, 3, 4]);
    expect(plan(2000, 'II', '10')).toEqual(['K', 125, 21, 22]);
    expect(plan(20, 'II', '650')).toEqual(['C', 5, 44, 45]);
    expect(plan(20, 'II', '1000')).toEqual(['B', 3, 44, 45]);
  });

  it('S1-5.4.5-a normal inspection follows the arrows to the first plan below or above', () => {
    // H (50) at 0.40 points up: G's Ac 0 Re 1 with n = 32.
    expect(plan(400, 'II', '0.40')).toEqual(['G', 32, 0, 1]);
    // H at 0.65 points down: J's Ac 1 Re 2 with n = 80.
    expect(plan(400, 'II', '0.65')).toEqual(['J', 80, 1, 2]);
    // J at 0.10 points down to the Ac 0 diagonal: K n = 125.
    expect(plan(1000, 'II', '0.10')).toEqual(['K', 125, 0, 1]);
    // K at 15 is past the table's edge: up to J's 21/22.
    expect(plan(2000, 'II', '15')).toEqual(['J', 80, 21, 22]);
    // The smallest AQL ends at Q (1250).
    expect(plan(5000, 'II', '0.010')).toEqual(['Q', 1250, 0, 1]);
    // ... and a sample as large as the lot is the whole lot.
    expect(plan(1000, 'II', '0.010')).toEqual(['Q', 1000, 0, 1]);
  });

  it('S1-5.4.5-a tightened inspection: published cells and arrows', () => {
    expect(plan(1000, 'II', '1.0', 'tightened')).toEqual(['J', 80, 1, 2]);
    expect(plan(1000, 'II', '2.5', 'tightened')).toEqual(['J', 80, 3, 4]);
    expect(plan(1000, 'II', '6.5', 'tightened')).toEqual(['J', 80, 8, 9]);
    expect(plan(1000, 'II', '15', 'tightened')).toEqual(['J', 80, 18, 19]);
    expect(plan(2000, 'II', '0.65', 'tightened')).toEqual(['K', 125, 1, 2]);
    expect(plan(5000, 'II', '4.0', 'tightened')).toEqual(['L', 200, 12, 13]);
    expect(plan(200, 'II', '0.65', 'tightened')).toEqual(['G', 32, 0, 1]);
    // J at 0.65 points down to K.
    expect(plan(1000, 'II', '0.65', 'tightened')).toEqual(['K', 125, 1, 2]);
    // K at 15 is past the edge: up to J.
    expect(plan(2000, 'II', '15', 'tightened')).toEqual(['J', 80, 18, 19]);
  });

  it('S1-5.4.5-a reduced inspection uses the reduced sample sizes', () => {
    expect(plan(1000, 'II', '1.0', 'reduced')).toEqual(['J', 32, 1, 2]);
    expect(plan(1000, 'II', '2.5', 'reduced')).toEqual(['J', 32, 3, 4]);
    expect(plan(2000, 'II', '1.0', 'reduced')).toEqual(['K', 50, 2, 3]);
  });

  it('S1-5.4.5-a a sample as large as the lot means inspecting the whole lot', () => {
    const p = samplingPlan(3, 'II', '0.10');
    expect(p).toMatchObject({ fullInspection: true, sampleSize: 3, ac: 0, re: 1 });
  });
});

describe('switching rules (9.3)', () => {
  const run = (lots: { accepted: boolean; ac?: number; tighter?: boolean }[], from: SwitchingState = INITIAL_STATE) =>
    lots.reduce((s, l) => nextState(s, { accepted: l.accepted, ac: l.ac ?? 2, acceptedOneStepTighter: l.tighter ?? false }), from);

  it('S1-5.4.5-a normal to tightened when 2 of at most 5 consecutive lots are not accepted', () => {
    expect(run([{ accepted: false }]).severity).toBe('normal');
    expect(run([{ accepted: false }, { accepted: true }, { accepted: true }, { accepted: true }, { accepted: false }]).severity).toBe('tightened');
    expect(run([{ accepted: false }, ...Array(5).fill({ accepted: true }), { accepted: false }]).severity).toBe('normal');
  });

  it('S1-5.4.5-a tightened back to normal after 5 consecutive accepted lots; discontinued after 5 not accepted', () => {
    const tight = run([{ accepted: false }, { accepted: false }]);
    expect(tight.severity).toBe('tightened');
    expect(run(Array(4).fill({ accepted: true }), tight).severity).toBe('tightened');
    expect(run(Array(5).fill({ accepted: true }), tight).severity).toBe('normal');
    expect(run(Array(5).fill({ accepted: false }), tight).severity).toBe('discontinued');
  });

  it('S1-5.4.5-a normal to reduced at a switching score of 30; reduced back to normal at a lot not accepted', () => {
    const reduced = run(Array(10).fill({ accepted: true, ac: 2, tighter: true }));
    expect(reduced.severity).toBe('reduced');
    expect(run(Array(9).fill({ accepted: true, ac: 2, tighter: true })).score).toBe(27);
    // Ac 0/1 plans add 2 per accepted lot; a lot not accepted at the stricter AQL resets the score.
    expect(run(Array(15).fill({ accepted: true, ac: 1 })).severity).toBe('reduced');
    expect(run([...Array(9).fill({ accepted: true, ac: 2, tighter: true }), { accepted: true, ac: 2, tighter: false }]).score).toBe(0);
    expect(run([{ accepted: false }], reduced).severity).toBe('normal');
  });
});
