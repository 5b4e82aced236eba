/**
 * Machine states as people read them: a colour AND a symbol AND the word, so a state never depends
 * on colour alone (colour-blind readers, a washed-out TV). Backgrounds keep white text above 4.5:1.
 */
export const STATES: Record<string, { color: string; symbol: string }> = {
  run: { color: '#237804', symbol: '▶' },
  idle: { color: '#874d00', symbol: '❚❚' },
  down: { color: '#a8071a', symbol: '✖' },
  setup: { color: '#0958d9', symbol: '⚙' },
  unknown: { color: '#434343', symbol: '?' },
};

/** Alarm grades as the API spells them, most urgent first. */
export const GRADES = ['critical', 'major', 'minor', 'warning'] as const;

export const stateOf = (s: string | null | undefined) => (s && STATES[s] ? s : 'unknown');

/** 3 h 05 min / 3 h 05 min: a duration in words short enough for a tile. */
export function since(fromIso: string | null, now = Date.now()): string {
  if (!fromIso) return '';
  const min = Math.max(0, Math.floor((now - new Date(fromIso).getTime()) / 60_000));
  return min >= 60 ? `${Math.floor(min / 60)} h ${String(min % 60).padStart(2, '0')} min` : `${min} min`;
}
