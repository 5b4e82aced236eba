import { describe, expect, it } from 'vitest';
import { usccCheckCharacter, usccProblem } from './uscc.js';

describe('unified social credit code (GB 32100-2015)', () => {
  it('S1-5.4.1-a: published codes pass their check character', () => {
    expect(usccProblem('91350100M000100Y43')).toBeUndefined();
    expect(usccProblem('91110000802100433B')).toBeUndefined();
  });

  it('S1-5.4.1-a: the check character is computed over the first 17 with weights 3^i mod 31', () => {
    expect(usccCheckCharacter('91350100M000100Y4')).toBe('3');
    expect(usccCheckCharacter('91110000802100433')).toBe('B');
  });

  it('S1-5.4.1-a: a changed character, a wrong length or a letter outside the alphabet is refused with its reason', () => {
    expect(usccProblem('91350100M000100Y44')).toBe('CHECK_CHARACTER');
    expect(usccProblem('91350100M000100Y53')).toBe('CHECK_CHARACTER');
    expect(usccProblem('91350100M000100Y4')).toBe('LENGTH');
    expect(usccProblem('91350100M000100Y433')).toBe('LENGTH');
    for (const bad of ['I', 'O', 'S', 'V', 'Z', 'a', '-']) expect(usccProblem(`91350100M000100Y4${bad}`), bad).toBe('CHARACTER');
  });
});
