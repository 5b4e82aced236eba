type Line = Record<string, unknown>;

/**
 * The body of a new machine: blank lines left out; a fault rule's value, typed as text, sent as
 * its point's type (the API compares it with the point's values as they are: 1, true or "E12").
 */
export function machineBody(b: Record<string, unknown>): Record<string, unknown> {
  const filled = (list: unknown) => ((list as Line[] | undefined) ?? []).filter((l) => Object.keys(l).length > 0);
  const points = filled(b.points);
  const typeOf = new Map(points.map((p) => [p.point, p.type]));
  const alarmRules = filled(b.alarmRules).map((r) => {
    if (typeof r.value !== 'string') return r;
    const type = typeOf.get(r.point);
    const value = type === 'number' && r.value.trim() !== '' && Number.isFinite(Number(r.value)) ? Number(r.value) : type === 'boolean' && (r.value === 'true' || r.value === 'false') ? r.value === 'true' : r.value;
    return { ...r, value };
  });
  return { ...b, points, alarmRules };
}
