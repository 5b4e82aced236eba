/**
 * The life cycle every engineering version shares (BOMs and routings): one draft at a time,
 * released by production:approve, and a release makes the revision it supersedes obsolete from its
 * own effective date on. At any date at most one version is in effect.
 */
import type { Sql } from '../../platform/db.js';
import { conflict, fieldError, notFound, unprocessable, type FieldError } from '../../platform/errors.js';
import { assertDraft, assertVersion, type Who } from './common.js';
import * as engineering from './engineering-repo.js';
import type { Kind } from './engineering-repo.js';

const LABEL: Record<Kind, string> = { bom: 'BOM', routing: 'routing' };

export async function lockedVersion(tx: Sql, tenantId: string, kind: Kind, id: string) {
  const row = await engineering.findVersionRow(tx, tenantId, kind, id);
  if (!row) throw notFound(`${LABEL[kind]} version`, id);
  await engineering.lockHeader(tx, tenantId, kind, row.header_id);
  return (await engineering.findVersionRow(tx, tenantId, kind, id, true))!;
}

/** Checks a draft may be changed at `version`; returns its row, locked. */
export async function editableDraft(tx: Sql, tenantId: string, kind: Kind, id: string, version: number, what: (revision: number) => string) {
  const row = await lockedVersion(tx, tenantId, kind, id);
  assertVersion(row, version, what(row.revision));
  assertDraft(row, what(row.revision));
  return row;
}

/** The next revision number of a header, refusing a second draft. */
export async function nextRevision(tx: Sql, tenantId: string, kind: Kind, headerId: string, what: string): Promise<number> {
  await engineering.lockHeader(tx, tenantId, kind, headerId);
  const versions = await engineering.versionsOf(tx, tenantId, kind, headerId);
  const draft = versions.find((v) => v.status === 'draft');
  if (draft) {
    throw conflict('DRAFT_EXISTS', `${what} already has a draft, revision ${draft.revision}; change that one or release it first`, { draftId: draft.id, draftRevision: draft.revision });
  }
  return Math.max(0, ...versions.map((v) => v.revision)) + 1;
}

/**
 * Releases a draft at `version`: its effective date must come after the one of the revision in
 * force (which then ends there and becomes obsolete). `checkContent` refuses what may not be
 * released (an empty BOM, a cycle) by throwing.
 */
export async function releaseVersion(tx: Sql, who: Who, kind: Kind, id: string, version: number, what: (revision: number) => string, checkContent: () => Promise<void>) {
  const row = await editableDraft(tx, who.tenantId, kind, id, version, what);
  await checkContent();
  const released = (await engineering.versionsOf(tx, who.tenantId, kind, row.header_id)).filter((v) => v.status === 'released');
  const latest = released.sort((a, b) => (a.effective_from < b.effective_from ? 1 : -1))[0];
  if (latest && row.effective_from <= latest.effective_from) {
    throw unprocessable('EFFECTIVITY_OVERLAP', `${what(row.revision)} takes effect ${row.effective_from}, not after revision ${latest.revision} (${latest.effective_from}); move its effective date`, [
      fieldError('effectiveFrom', 'NOT_AFTER_CURRENT', `must be after ${latest.effective_from}`),
    ]);
  }
  for (const r of released) await engineering.markObsolete(tx, who.tenantId, kind, r.id, row.effective_from);
  await engineering.markReleased(tx, who.tenantId, kind, id, who.actor);
  return { row, superseded: released.map((r) => r.revision) };
}

export function checkEffectivity(from: string, to: string | null | undefined, errors: FieldError[]): void {
  if (to && to <= from) errors.push(fieldError('effectiveTo', 'NOT_AFTER_FROM', `must be after effectiveFrom ${from}`));
}
