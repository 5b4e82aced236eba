/**
 * A tenant's data, created through the API from the target's own OpenAPI: every create operation
 * the suite can build a body for is called, and every id the tenant can list afterwards is known.
 * The isolation suite seeds tenant A this way and then tries A's ids from other tenants.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { HttpTarget } from './http.js';
import { collectionOf, fillPath, sample, type JsonSchema, type Operation, type SampleHints } from './openapi.js';
import type { Rng } from './rng.js';
import type { TenantPool, TestTenant } from './tenants.js';

export interface Row {
  id: string;
  code?: string;
}

export interface SeedAttempt {
  operationId: string;
  status: number;
  created: boolean;
  error?: string;
}

const id = (w: World, collection: string) => w.find(collection)?.id;

/**
 * Bodies the schema alone cannot give: a reference that may be made one of two ways (id or code),
 * or an id read from another document's lines. The rest are sampled from the schema. A recipe whose
 * prerequisite is missing still runs: the 4xx is recorded, and a later pass tries again.
 */
const RECIPES: Record<string, (w: World) => unknown> = {
  createStockDocument: (w) => ({ type: 'other_in', post: true, lines: [{ materialId: id(w, 'materials'), warehouseId: id(w, 'warehouses'), quantity: '10' }] }),
  createSalesOrder: (w) => ({ customerId: id(w, 'customers'), lines: [{ materialId: id(w, 'materials'), quantity: '5', price: '10', deliveryDate: '2030-01-15' }] }),
  createDeliveryPlan: (w) => ({ customerId: id(w, 'customers'), plannedDate: '2030-01-10', lines: [{ orderLineId: w.created('createSalesOrder')?.lines?.[0]?.id, quantity: '2' }] }),
  createSalesOutbound: (w) => ({ planId: w.created('createDeliveryPlan')?.id, warehouseId: id(w, 'warehouses'), lines: [] }),
  createSalesReturn: (w) => ({ customerId: id(w, 'customers'), warehouseId: id(w, 'warehouses'), reasonCode: 'other', lines: [{ materialId: id(w, 'materials'), quantity: '1' }] }),
  createPurchaseOrder: (w) => ({ supplierId: id(w, 'suppliers'), lines: [{ materialId: id(w, 'materials'), quantity: '5', price: '1' }] }),
  createPurchaseReceipt: (w) => ({ orderId: w.created('createPurchaseOrder')?.id }),
  inspectPurchaseReceipt: (w) => ({ lines: [{ receiptLineId: w.created('createPurchaseReceipt')?.lines?.[0]?.id, accepted: '4', rejected: '1', warehouseId: id(w, 'warehouses') }] }),
  createPurchaseReturn: (w) => ({ supplierId: id(w, 'suppliers'), lines: [{ materialId: id(w, 'materials'), warehouseId: id(w, 'warehouses'), quantity: '1' }] }),
  // The plant model, each level under the one before (later passes fill what an earlier one lacked).
  createCalendar: (w) => ({ code: w.code(), name: 'Calendar', shifts: [{ weekday: 1, start: '08:00', end: '16:00' }] }),
  createPlant: (w) => ({ code: w.code(), name: 'Plant', calendarId: id(w, 'calendars') }),
  createWorkshop: (w) => ({ code: w.code(), name: 'Workshop', plantId: id(w, 'plants') }),
  createProductionLine: (w) => ({ code: w.code(), name: 'Line', workshopId: id(w, 'workshops') }),
  createWorkCentre: (w) => ({ code: w.code(), name: 'Work centre', workshopId: id(w, 'workshops'), capacityUnit: 'machine_hours' }),
  createStation: (w) => ({ code: w.code(), name: 'Station', workCentreId: id(w, 'workCentreId') }),
  createRouting: (w) => ({ code: w.code(), name: 'Routing', operations: [{ seq: 10, name: 'Operation', workCentreId: id(w, 'workCentreId'), runMinutes: '1' }] }),
  createBom: (w) => ({ materialId: id(w, 'materials'), type: 'manufacturing', lines: [] }),
  createDrawing: (w) => ({ code: w.code(), name: 'Drawing', kind: 'product', materialId: id(w, 'materials') }),
  // A drawing's file is bytes, not JSON: a one-pixel PNG.
  uploadDrawingRevision: () => Uint8Array.from(Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4fe0000000049454e44ae426082', 'hex')),
  // A gateway registers with an Ed25519 public key; a machine on it has a writable point to send a command to.
  registerGateway: (w) => ({ code: w.code(), name: 'Gateway', publicKey: gatewayPublicKey() }),
  createEquipment: (w) => ({ code: w.code(), name: 'Machine', workshopId: id(w, 'workshops'), gatewayId: id(w, 'gateways'), points: [{ point: 'setpoint', type: 'number', writable: true }] }),
  sendDeviceCommand: () => ({ point: 'setpoint', value: 1 }),
  createQualityStandard: (w) => ({ code: w.code(), name: 'Standard', materialId: id(w, 'materials'), items: [{ code: 'DIA', name: 'Diameter', kind: 'quantitative', nominal: '10.00', lowerLimit: '9.95', upperLimit: '10.05', unit: 'mm', decimals: 2 }] }),
  createQualityPlan: (w) => ({ code: w.code(), name: 'Final', inspectionType: 'final', standardId: w.created('createQualityStandard')?.id, sampling: 'fixed', sampleSize: 2 }),
  createQualityInspection: (w) => ({ planId: w.created('createQualityPlan')?.id, materialId: id(w, 'materials'), lotSize: '10' }),
  createProductionOrder: (w) => ({ materialId: id(w, 'materials'), quantity: '5', plannedStart: '2030-01-10', plannedFinish: '2030-01-12' }),
};

/** Rows a nested create makes that are read back under a top-level path (`GET /v1/device-commands/{id}`). */
const ALSO_UNDER: Record<string, string> = { '/v1/equipment/{id}/commands': '/v1/device-commands' };

function gatewayPublicKey(): string {
  return generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/** Create operations run first in this order (what later ones refer to); the rest follow by path. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIRST = ['createUnit', 'createFeature', 'createMaterial', 'createWarehouse', 'createSalesGroup', 'createPurchasingGroup', 'registerGateway'];
const LAST = ['createStockDocument', 'createCountSheet'];

export class World {
  /** Normalised collection path (`/v1/materials`, `/v1/warehouses/{id}/bins`) -> rows. */
  readonly collections = new Map<string, Row[]>();
  /** Tenant A's ids and codes, each with the collection it came from. */
  readonly markers = new Map<string, string>();
  readonly seeded: SeedAttempt[] = [];
  private counter = 0;
  private readonly approved = new Set<string>();
  private readonly responses = new Map<string, any>();

  constructor(
    readonly tenant: TestTenant,
    private readonly rng: Rng,
    private readonly tag: string,
  ) {
    this.add('/v1/tenants', { id: tenant.id, code: tenant.slug });
    this.add('/v1/users', { id: tenant.adminUserId });
  }

  add(collection: string, row: Row): void {
    const rows = this.collections.get(collection) ?? [];
    if (!rows.some((r) => r.id === row.id)) rows.push(row);
    this.collections.set(collection, rows);
    // Only values no other tenant can have are evidence of a leak: UUIDs and codes with the run tag.
    for (const v of [row.id, row.code]) if (v && (UUID.test(v) || v.includes(this.tag))) this.markers.set(v, collection);
  }

  /** A code no other tenant or run has: the run tag and a counter. */
  code(): string {
    // Fixed width, so no code is the prefix of a later one (a leak scan looks for substrings).
    return `${this.tag}${String(++this.counter).padStart(4, '0')}`;
  }

  /** The first row of the collection whose name fits `name` (`materialId`, `warehouses`, `material`). */
  find(name: string): Row | undefined {
    const stem = name.replace(/(Id|Code|Ids|Codes)$/, '').replace(/[^a-zA-Z]/g, '').toLowerCase();
    if (!stem) return undefined;
    for (const [path, rows] of this.collections) {
      const last = path.split('/').filter((s) => s && !s.startsWith('{')).pop() ?? '';
      const norm = last.replace(/-/g, '').toLowerCase();
      if ((norm === `${stem}s` || norm === stem || norm === `${stem}es` || norm === stem.replace(/y$/, 'ies')) && rows.length) return rows[0];
    }
    return undefined;
  }

  /** Every value a filtered query can carry (see queryOf in the isolation suite): ids of first rows and codes. */
  filterValues(): string[] {
    const out: string[] = [];
    for (const rows of this.collections.values()) if (rows[0]) out.push(rows[0].id, ...(rows[0].code ? [rows[0].code] : []));
    return out;
  }

  /** The row to put in `{param}` of `path`: the collection the path's prefix names, else by segment name. */
  rowFor(path: string, param: string): Row | undefined {
    const before = path.slice(0, path.indexOf(`{${param}}`) - 1);
    const normalised = before.replace(/\{[^}]+\}/g, '{id}');
    const exact = this.collections.get(normalised);
    if (exact?.length) return exact[0];
    const segment = before.split('/').pop() ?? '';
    return this.find(segment) ?? this.find(param);
  }

  hints(extra: Record<string, string> = {}): SampleHints {
    return {
      rng: this.rng,
      code: () => this.code(),
      known: (name: string, schema: JsonSchema) => this.known(name, schema, extra),
    };
  }

  private known(name: string, schema: JsonSchema, extra: Record<string, string>): string | undefined {
    if (name in extra) return extra[name];
    if (schema.type !== 'string' && !(Array.isArray(schema.type) && schema.type.includes('string'))) return undefined;
    if (/unit$/i.test(name) || /\bunit code\b/i.test(schema.description ?? '')) return this.find('units')?.code;
    if (name === 'pattern') return `${this.code()}-{seq:4}`;
    if (schema.format === 'date-time' && /^(from|since|start)/i.test(name)) return '2020-01-01T00:00:00.000Z';
    if (schema.format === 'date-time' && /^(to|until|end)/i.test(name)) return '2100-01-01T00:00:00.000Z';
    if (/Id$/.test(name) && schema.format === 'uuid') return this.find(name)?.id;
    if (/Code$/.test(name)) return this.find(name)?.code;
    return undefined;
  }

  /** Creates what the tenant's create operations can make, then lists every collection. */
  async seed(target: HttpTarget, ops: Operation[], pool: TenantPool): Promise<void> {
    const key = this.tenant.adminKey;
    const creates = ops.filter((o) => o.method === 'POST' && !o.public && !o.platform && !o.path.includes('{') && '201' in o.responses && o.operationId !== 'createApiKey');
    const rank = (o: Operation) => (FIRST.includes(o.operationId) ? FIRST.indexOf(o.operationId) : LAST.includes(o.operationId) ? 100 + LAST.indexOf(o.operationId) : 50);
    creates.sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
    // Passes until nothing more can be made: what one create needs (a supplier for a purchase
    // order) may come later in path order. Approvals between passes unlock what needs an approved
    // document (a delivery plan needs an approved sales order).
    let pending = creates;
    for (let pass = 0; pending.length && pass < 4; pass++) {
      const failed: Operation[] = [];
      for (const op of pending) if (!(await this.create(target, key, op, op.path, this.bodyFor(op), op.path, pool))) failed.push(op);
      const progressed = failed.length < pending.length;
      await this.approveAll(target, ops);
      if (!progressed) break;
      pending = failed;
      if (pending.length) this.seeded.splice(0, this.seeded.length, ...this.seeded.filter((a) => a.created || !pending.some((o) => o.operationId === a.operationId)));
    }
    // Nested creates (`/v1/warehouses/{id}/bins`) and PUT-by-code (`/v1/coding-rules/{code}`).
    for (const op of ops.filter((o) => !o.public && !o.platform && o.path.includes('{') && ((o.method === 'POST' && '201' in o.responses) || (o.method === 'PUT' && /\{code\}$/.test(o.path))))) {
      const values: Record<string, string> = {};
      let ok = true;
      for (const p of op.params.filter((x) => x.in === 'path')) {
        if (op.method === 'PUT' && p.name === 'code') values.code = this.code();
        else {
          const row = this.rowFor(op.path, p.name);
          if (!row) ok = false;
          else values[p.name] = row.id;
        }
      }
      if (!ok) {
        this.seeded.push({ operationId: op.operationId, status: 0, created: false, error: 'no parent row to create under' });
        continue;
      }
      const collection = op.path.replace(/\{[^}]+\}/g, '{id}');
      await this.create(target, key, op, fillPath(op.path, values), this.bodyFor(op), op.method === 'PUT' ? collectionOf(op.path) : collection, pool, values.code);
    }
    // A key of A's own (not its admin key) is what other tenants will try to revoke.
    const extra = await pool.key(this.tenant, `conformance-${this.tag}-probe`, ['masterdata:read']);
    this.add('/v1/api-keys', { id: extra.id });
    await this.harvest(target, ops);
  }

  /** Approves every created document that has an approve operation (`POST /v1/x/{id}/approve`), once. */
  private async approveAll(target: HttpTarget, ops: Operation[]): Promise<void> {
    for (const op of ops.filter((o) => o.method === 'POST' && /^approve/.test(o.operationId) && /\/\{id\}\/approve$/.test(o.path))) {
      const collection = op.path.replace(/\/\{id\}\/approve$/, '');
      for (const row of this.collections.get(collection) ?? []) {
        if (this.approved.has(row.id)) continue;
        this.approved.add(row.id);
        await target.request('POST', fillPath(op.path, { id: row.id }), { key: this.tenant.adminKey, body: op.body ? sample(op.body, this.hints()) : {} });
      }
    }
  }

  private bodyFor(op: Operation): unknown {
    const recipe = RECIPES[op.operationId];
    if (recipe) return recipe(this);
    return op.body ? sample(op.body, this.hints()) : undefined;
  }

  /** The answer of the last successful call of an operation (a recipe reads line ids from it). */
  created(operationId: string): any {
    return this.responses.get(operationId);
  }

  private async create(target: HttpTarget, key: string, op: Operation, path: string, body: unknown, collection: string, pool: TenantPool, code?: string) {
    const res = await target.request(op.method, path, { key, body: body ?? {} });
    const created = res.status === 201 || (op.method === 'PUT' && res.status === 200);
    this.seeded.push({ operationId: op.operationId, status: res.status, created, ...(created ? {} : { error: `${res.json?.code ?? ''} ${res.json?.detail ?? res.text.slice(0, 200)}`.trim() }) });
    if (!created) return false;
    this.responses.set(op.operationId, res.json);
    pool.noteRow(this.tenant, collection);
    const row = rowOf(res.json);
    if (row) this.add(collection, row);
    if (row && ALSO_UNDER[collection]) this.add(ALSO_UNDER[collection], row);
    else if (code) this.add(collection, { id: code, code });
    if (row && (body as { code?: string })?.code && !row.code) row.code = (body as { code: string }).code;
    return true;
  }

  /** Every id the tenant's own list operations show (users, roles, keys, documents, movements…). */
  private async harvest(target: HttpTarget, ops: Operation[]): Promise<void> {
    for (const op of ops.filter((o) => o.method === 'GET' && !o.stream && !o.public && !o.platform && !o.path.includes('{') && !o.params.some((p) => p.required))) {
      const limit = op.params.some((p) => p.name === 'limit') ? { limit: 100 } : undefined;
      const res = await target.request('GET', op.path, { key: this.tenant.adminKey, query: limit });
      const items = Array.isArray(res.json?.items) ? res.json.items : [];
      for (const item of items) {
        const row = rowOf(item);
        if (row) this.add(op.path, row);
      }
    }
  }
}

function rowOf(json: any): Row | undefined {
  if (!json || typeof json !== 'object') return undefined;
  if (typeof json.id === 'string') return { id: json.id, ...(typeof json.code === 'string' ? { code: json.code } : {}) };
  // Resources keyed by a code alone (units): the code is their id.
  if (typeof json.code === 'string' && !Object.values(json).some((v) => v && typeof v === 'object' && typeof (v as any).id === 'string')) return { id: json.code, code: json.code };
  for (const v of Object.values(json)) if (v && typeof v === 'object' && typeof (v as any).id === 'string') return rowOf(v);
  return undefined;
}
