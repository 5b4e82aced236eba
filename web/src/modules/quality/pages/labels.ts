/** The quality module's value lists, as the API spells them (texts in the `quality` namespace). */
export const TYPES = ['incoming', 'in_process', 'final', 'first_article', 'patrol'] as const;
export const STATUSES = ['open', 'judged', 'closed'] as const;
export const JUDGEMENTS = ['good', 'defective', 'scrap'] as const;
export const DISPOSITIONS = ['accept', 'concession', 'quarantine', 'return', 'rework', 'scrap'] as const;
export const JUDGEMENT_COLORS: Record<string, string> = { good: 'green', defective: 'orange', scrap: 'red' };
