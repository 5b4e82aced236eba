/** What other modules may ask quality about its inspections, without touching its tables. */
import type { Sql } from '../../platform/db.js';
import * as repo from './repo.js';

export interface InspectionRef { id: string; docNo: string; status: string; judgement: string | null }

/** Number, status and judgement of these inspections, by id. */
export async function inspectionRefs(tx: Sql, t: string, ids: string[]): Promise<Map<string, InspectionRef>> {
  if (!ids.length) return new Map();
  return new Map((await repo.inspectionRefs(tx, t, [...new Set(ids)])).map((r) => [r.id, r]));
}
