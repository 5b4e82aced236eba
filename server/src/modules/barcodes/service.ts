/**
 * What a scanned code names (S1-5.4.3-g) and the labels that carry it (S1-4.3.4, S1-4.2.5-a).
 *
 * resolveBarcode is the one place a code becomes ids: the stock in/out APIs call it so a scanner
 * can stand in for every material, batch, serial and location id.
 */
import bwipjs from 'bwip-js';
import type { Sql } from '../../platform/db.js';
import { MesProblem, fieldError, unprocessable } from '../../platform/errors.js';
import { encodeGs1, looksLikeGs1, parseGs1, type Gs1Fields } from './gs1.js';
import * as repo from './repo.js';
import type { ResolvedBarcode } from './schema.js';

export type { ResolvedBarcode } from './schema.js';
export type { Gs1Fields } from './gs1.js';

type Part = 'material' | 'batch' | 'serial' | 'location.warehouse' | 'location.bin';

/** Where problems point: the `code` of a resolve request, or the `fields` of a label request. */
type Origin = 'code' | 'fields';

const fieldOf = (origin: Origin, part: Part) => (origin === 'code' ? 'code' : `fields.${part}`);

function targetNotFound(origin: Origin, part: Part, message: string): MesProblem {
  return new MesProblem(404, 'BARCODE_TARGET_NOT_FOUND', message, { errors: [fieldError(fieldOf(origin, part), 'NOT_FOUND', message)], part });
}

function inconsistent(origin: Origin, part: Part, message: string): MesProblem {
  const p = unprocessable('BARCODE_INCONSISTENT', message, [fieldError(fieldOf(origin, part), 'INCONSISTENT', message)]);
  p.extras.part = part;
  return p;
}

function ambiguous(origin: Origin, part: Part, message: string): MesProblem {
  const p = unprocessable('BARCODE_AMBIGUOUS', message, [fieldError(fieldOf(origin, part), 'AMBIGUOUS', message)]);
  p.extras.part = part;
  return p;
}

/**
 * What a code identifies, with ids. The code may be GS1 data in either form (see gs1.ts), a bare
 * material code, or a bare serial number that exactly one serial has. Throws
 * 400 BARCODE_UNREADABLE, 404 BARCODE_TARGET_NOT_FOUND (`part` names what is missing),
 * 422 BARCODE_INCONSISTENT (a batch or serial of another material than the code's (240)),
 * 422 BARCODE_AMBIGUOUS (a batch or serial number several materials have, without (240)) and
 * 422 BARCODE_NOTHING_IDENTIFIED (only dates or a quantity).
 *
 * Runs in the caller's transaction, scoped to tenantId.
 */
export async function resolveBarcode(tx: Sql, tenantId: string, code: string, now: Date = new Date()): Promise<ResolvedBarcode> {
  const text = code.trim();
  if (!text || looksLikeGs1(text)) return resolveFields(tx, tenantId, parseGs1(text, now), 'code');

  // The plain forms a PDA sends: a material code, then a serial number.
  const material = await repo.findMaterialByCode(tx, tenantId, text);
  if (material) return { kind: 'material', material: materialOut(material), gs1: { material: text } };
  const serials = await repo.findSerials(tx, tenantId, text, null);
  if (serials.length > 1) throw ambiguous('code', 'serial', `serial number ${text} exists for several materials; scan a code that carries (240) the material too`);
  if (serials.length === 1) return resolveFields(tx, tenantId, { serial: text }, 'code');

  // Last, GS1 data a scanner sent without a symbology identifier or separators.
  let fields: Gs1Fields;
  try {
    fields = parseGs1(text, now);
  } catch (err) {
    if (!(err instanceof MesProblem)) throw err;
    throw targetNotFound('code', 'material', `no material or serial number is "${text}", and it is not GS1 data (${err.message.replace(/^the barcode is not readable: /, '')})`);
  }
  try {
    return await resolveFields(tx, tenantId, fields, 'code');
  } catch (err) {
    if (err instanceof MesProblem && err.code === 'BARCODE_TARGET_NOT_FOUND') {
      throw targetNotFound('code', err.extras.part as Part, `no material or serial number is "${text}"; read as GS1 data, ${err.message}`);
    }
    throw err;
  }
}

/**
 * Looks up everything the fields name and checks that they agree. `origin` says where problems
 * point: `code` (a scanned code) or `fields` (a label request, field errors `fields.<name>`).
 */
export async function resolveFields(tx: Sql, tenantId: string, fields: Gs1Fields, origin: Origin = 'code'): Promise<ResolvedBarcode> {
  let material: repo.MaterialRow | undefined;
  if (fields.material !== undefined) {
    material = await repo.findMaterialByCode(tx, tenantId, fields.material);
    if (!material) throw targetNotFound(origin, 'material', `material ${fields.material} does not exist`);
  }

  let batch: repo.BatchRow | undefined;
  if (fields.batch !== undefined) {
    const rows = await repo.findBatches(tx, tenantId, fields.batch, material?.id ?? null);
    if (rows.length === 0) {
      if (material && (await repo.findBatches(tx, tenantId, fields.batch, null, 1)).length) {
        throw inconsistent(origin, 'batch', `batch ${fields.batch} does not belong to material ${material.code}`);
      }
      throw targetNotFound(origin, 'batch', `batch ${fields.batch} does not exist${material ? ` for material ${material.code}` : ''}`);
    }
    if (rows.length > 1) throw ambiguous(origin, 'batch', `batch ${fields.batch} exists for several materials; add (240) the material code`);
    batch = rows[0];
  }

  let serial: repo.SerialRow | undefined;
  if (fields.serial !== undefined) {
    const ownerId = material?.id ?? batch?.material_id ?? null;
    const rows = await repo.findSerials(tx, tenantId, fields.serial, ownerId);
    if (rows.length === 0) {
      if (ownerId && (await repo.findSerials(tx, tenantId, fields.serial, null, 1)).length) {
        const of = material ? `material ${material.code}` : `the material of batch ${fields.batch}`;
        throw inconsistent(origin, 'serial', `serial ${fields.serial} does not belong to ${of}`);
      }
      throw targetNotFound(origin, 'serial', `serial ${fields.serial} does not exist${material ? ` for material ${material.code}` : ''}`);
    }
    if (rows.length > 1) throw ambiguous(origin, 'serial', `serial ${fields.serial} exists for several materials; add (240) the material code`);
    serial = rows[0];
    if (serial.batch_id) {
      if (batch && batch.id !== serial.batch_id) throw inconsistent(origin, 'serial', `serial ${fields.serial} is not of batch ${fields.batch}`);
      batch ??= await repo.findBatchById(tx, tenantId, serial.batch_id);
    }
  }

  const materialId = serial?.material_id ?? batch?.material_id;
  if (!material && materialId) material = await repo.findMaterialById(tx, tenantId, materialId);

  let location: ResolvedBarcode['location'];
  if (fields.location) {
    const warehouse = await repo.findWarehouseByCode(tx, tenantId, fields.location.warehouse);
    if (!warehouse) throw targetNotFound(origin, 'location.warehouse', `warehouse ${fields.location.warehouse} does not exist`);
    let bin: repo.CodeRow | null = null;
    if (fields.location.bin) {
      bin = (await repo.findBinByCode(tx, tenantId, warehouse.id, fields.location.bin)) ?? null;
      if (!bin) throw targetNotFound(origin, 'location.bin', `bin ${fields.location.bin} does not exist in warehouse ${warehouse.code}`);
    }
    location = { warehouse: { id: warehouse.id, code: warehouse.code }, bin: bin && { id: bin.id, code: bin.code } };
  }

  const kind = serial ? 'serial' : batch ? 'batch' : material ? 'material' : location ? 'location' : fields.document !== undefined ? 'document' : undefined;
  if (!kind) {
    const message = 'the code names nothing to look up: it needs (240) a material, (10) a batch, (21) a serial, (91) a location or (92) a document';
    throw unprocessable('BARCODE_NOTHING_IDENTIFIED', message, [fieldError(origin, 'NOTHING_IDENTIFIED', message)]);
  }
  return {
    kind,
    ...(material ? { material: materialOut(material) } : {}),
    ...(batch ? { batch: { id: batch.id, batchNo: batch.batch_no, expiryDate: batch.expiry_date, productionDate: batch.production_date } } : {}),
    ...(serial ? { serial: { id: serial.id, serialNo: serial.serial_no } } : {}),
    ...(location ? { location } : {}),
    ...(fields.quantity !== undefined ? { quantity: fields.quantity } : {}),
    ...(fields.document !== undefined ? { document: fields.document } : {}),
    gs1: fields,
  };
}

const materialOut = (m: repo.MaterialRow) => ({ id: m.id, code: m.code, name: m.name, tracking: m.tracking });

export interface LabelOptions {
  format: 'svg' | 'png';
  /** The human-readable line under the bars; default true. */
  text?: boolean;
  /** 1..6; default 2. */
  scale?: number;
}

export interface LabelImage {
  contentType: 'image/svg+xml' | 'image/png';
  body: string | Buffer;
  humanReadable: string;
}

/**
 * A GS1-128 label of the fields. Does not check that they exist (resolveFields does).
 * Throws 422 BARCODE_NOT_ENCODABLE for values the payload or the symbology cannot carry.
 */
export async function renderLabel(fields: Gs1Fields, opts: LabelOptions): Promise<LabelImage> {
  const { humanReadable } = encodeGs1(fields);
  const options = {
    bcid: 'gs1-128',
    text: humanReadable,
    includetext: opts.text ?? true,
    textxalign: 'center' as const,
    scale: opts.scale ?? 2,
    paddingwidth: 10,
    paddingheight: 4,
    backgroundcolor: 'FFFFFF',
  };
  try {
    if (opts.format === 'png') return { contentType: 'image/png', body: await bwipjs.toBuffer(options), humanReadable };
    const svg = bwipjs.toSVG(options);
    // The encoded data as text in the document too: screen readers, search, tests.
    const open = svg.indexOf('>') + 1;
    return { contentType: 'image/svg+xml', body: `${svg.slice(0, open)}\n<title>${escapeXml(humanReadable)}</title>${svg.slice(open)}`, humanReadable };
  } catch (err) {
    if (err instanceof MesProblem) throw err;
    const reason = String((err as Error)?.message ?? err).replace(/^bwipp\.\w+#\d+:\s*/, '');
    throw unprocessable('BARCODE_NOT_ENCODABLE', `the label cannot be drawn: ${reason}`, [fieldError('fields', 'NOT_ENCODABLE', reason)]);
  }
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
