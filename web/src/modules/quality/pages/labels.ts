/** The quality module's value lists, as the API spells them (texts in the `quality` namespace). */
export const TYPES = ['incoming', 'in_process', 'final', 'first_article', 'patrol'] as const;
export const STATUSES = ['open', 'judged', 'closed'] as const;
export const JUDGEMENTS = ['good', 'defective', 'scrap'] as const;
export const DISPOSITIONS = ['accept', 'concession', 'quarantine', 'return', 'rework', 'scrap'] as const;
export const JUDGEMENT_COLORS: Record<string, string> = { good: 'green', defective: 'orange', scrap: 'red' };
/** GB/T 2828.1 inspection levels and AQL values, as the API takes them. */
export const LEVELS = ['S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III'] as const;
export const AQLS = ['0.010', '0.015', '0.025', '0.040', '0.065', '0.10', '0.15', '0.25', '0.40', '0.65', '1.0', '1.5', '2.5', '4.0', '6.5', '10', '15', '25', '40', '65', '100', '150', '250', '400', '650', '1000'] as const;
