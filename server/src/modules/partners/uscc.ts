/**
 * The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters from a
 * 31-character alphabet (digits and capitals without I, O, S, V, Z). The 18th is a check
 * character over the first 17 with weights 3^i mod 31.
 */
const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export type UsccProblem = 'LENGTH' | 'CHARACTER' | 'CHECK_CHARACTER';

export function usccCheckCharacter(first17: string): string {
  const sum = [...first17].reduce((acc, c, i) => acc + ALPHABET.indexOf(c) * WEIGHTS[i], 0);
  return ALPHABET[(31 - (sum % 31)) % 31];
}

/** Undefined when the code is valid; otherwise what is wrong with it. */
export function usccProblem(code: string): UsccProblem | undefined {
  if (code.length !== 18) return 'LENGTH';
  if (![...code].every((c) => ALPHABET.includes(c))) return 'CHARACTER';
  return usccCheckCharacter(code.slice(0, 17)) === code[17] ? undefined : 'CHECK_CHARACTER';
}
