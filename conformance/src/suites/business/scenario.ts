/**
 * Scenario data for the business checks, built through the target's HTTP API only (fetch, never an
 * SDK), so the checks hold for any implementation of the mes OpenAPI. Every check opens its own
 * tenant: its balances, reports and document numbers are then exactly what the check caused, and
 * no check depends on another or on the order they run in.
 *
 * Every refusal a check does not expect fails it with the request and the response in the message,
 * so a failed check in the evidence is a defect report.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Operation } from '../../openapi.js';
import type { TestTenant } from '../../tenants.js';
import type { Check, CheckContext } from '../../types.js';

/** One request and its answer, kept so that a failure can show both. */
export interface Exchange {
  method: string;
  path: string;
  body?: unknown;
  status: number;
  json: any;
  text: string;
}

export interface Balance {
  materialCode: string;
  warehouseCode: string;
  binCode: string | null;
  batchNo: string | null;
  serialNo: string | null;
  quantity: string;
}

const clip = (s: string, n = 600) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** `POST /v1/x {"a":1} → 422 {"code":…}`: what a failed check reports. */
export function describeExchange(ex: Exchange): string {
  return `${ex.method} ${ex.path}${ex.body === undefined ? '' : ` ${clip(JSON.stringify(ex.body), 400)}`} → ${ex.status} ${clip(ex.text)}`;
}

/**
 * A balance as `MATERIAL@WAREHOUSE[/BIN][#BATCH][*SERIAL]=QUANTITY`, e.g. `MOTOR@MAIN/A-01#B1=15`:
 * one string per stock position, so a whole warehouse compares as one sorted list.
 */
export function balanceKey(b: Balance): string {
  return `${positionKey(b)}=${canon(b.quantity)}`;
}

function positionKey(b: Omit<Balance, 'quantity'>): string {
  return `${b.materialCode}@${b.warehouseCode}${b.binCode ? `/${b.binCode}` : ''}${b.batchNo ? `#${b.batchNo}` : ''}${b.serialNo ? `*${b.serialNo}` : ''}`;
}

/** The check character of a unified social credit code (GB 32100-2015) over its first 17 characters. */
export function usccWithCheck(first17: string): string {
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const sum = [...first17].reduce((acc, c, i) => acc + alphabet.indexOf(c) * (3 ** i % 31), 0);
  return first17 + alphabet[(31 - (sum % 31)) % 31];
}

/**
 * Decimal strings compare by value: `"120.00"` and `"120"` are the same price, so trailing zeros
 * of a fraction are dropped before comparing (integers and codes are left alone).
 */
export function canon<T>(value: T): T {
  if (typeof value === 'string') return (/^-?\d+\.\d+$/.test(value) ? value.replace(/\.?0+$/, '') : value) as T;
  if (Array.isArray(value)) return value.map(canon) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canon(v)])) as T;
  return value;
}

/** One business check: its own tenant, named after the check. */
export function businessCheck(ops: Operation[], name: string, title: string, clauses: string[], body: (s: Scenario) => Promise<void>): Check {
  return {
    id: `business/${name}`,
    title,
    clauses,
    async run(ctx) {
      await body(await Scenario.open(ctx, ops, name.replace(/\//g, '-')));
    },
  };
}

/** A delivery date far enough ahead that no check depends on today's date. */
export const DUE = '2030-06-30';

export class Scenario {
  private constructor(
    readonly ctx: CheckContext,
    readonly tenant: TestTenant,
    private readonly ops: Map<string, Operation>,
  ) {}

  /** A tenant of its own (`<run>-biz-<label>`) for one check. */
  static async open(ctx: CheckContext, ops: Operation[], label: string): Promise<Scenario> {
    const tenant = await ctx.tenants.create(`biz-${label}`);
    return new Scenario(ctx, tenant, new Map(ops.map((o) => [o.operationId, o])));
  }

  /** The latest exchange: what a failed comparison quotes when it is given no other. */
  private last?: Exchange;

  async call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Exchange> {
    const res = await this.ctx.target.request(method, path, { key: this.tenant.adminKey, body, headers });
    this.last = { method, path, body, status: res.status, json: res.json, text: res.text };
    return this.last;
  }

  /** The request must succeed (2xx); its JSON body. Rows it created are counted for the cleanup report. */
  async ok(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<any> {
    const ex = await this.call(method, path, body, headers);
    this.ctx.assert(ex.status >= 200 && ex.status < 300, `expected success: ${describeExchange(ex)}`);
    if (ex.status === 201) this.ctx.tenants.noteRow(this.tenant, path.split('/').slice(0, 3).join('/'));
    return ex.json;
  }

  post(path: string, body?: unknown, headers?: Record<string, string>): Promise<any> {
    return this.ok('POST', path, body, headers);
  }

  get(path: string): Promise<any> {
    return this.ok('GET', path);
  }

  /** Every item of a paged list. */
  async all(path: string): Promise<any[]> {
    const items: any[] = [];
    let cursor: string | null | undefined;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const page = await this.get(`${path}${sep}limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      items.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return items;
  }

  /**
   * A state-changing action (approve, cancel, close) with the body the target's own spec asks for:
   * the `version` read when the operation takes one (optimistic concurrency), and the extras it
   * declares. Implementations differ in whether sales approval carries a version; the spec says.
   */
  async action(operationId: string, path: string, version: number, extra: Record<string, unknown> = {}): Promise<any> {
    const op = this.ops.get(operationId);
    this.ctx.assert(op, `the target's OpenAPI has no operation ${operationId}`);
    const props = op.body?.properties ?? {};
    const body = op.body ? Object.fromEntries(Object.entries({ version, ...extra }).filter(([k]) => k in props)) : undefined;
    return this.ok(op.method, path, body);
  }

  /** Deep equality; a failure says what was compared, both values, and the exchange given (else the latest). */
  eq(actual: unknown, expected: unknown, what: string, ex?: Exchange): void {
    if (isDeepStrictEqual(canon(actual), canon(expected))) return void this.ctx.assert(true, what);
    const context = ex ?? this.last;
    this.ctx.assert(false, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}${context ? ` (${ex ? '' : 'latest request: '}${describeExchange(context)})` : ''}`);
  }

  /**
   * The exchange is a refusal: this HTTP status, this problem code, and exactly these offending
   * fields as `field:CODE` (sorted), when given.
   */
  refused(ex: Exchange, status: number, code: string, fields?: string[]): void {
    this.ctx.assert(ex.status === status && ex.json?.code === code, `expected ${status} ${code}: ${describeExchange(ex)}`);
    if (fields) {
      const got = ((ex.json?.errors ?? []) as Array<{ field: string; code: string }>).map((e) => `${e.field}:${e.code}`).sort();
      this.eq(got, [...fields].sort(), `the offending fields of ${ex.method} ${ex.path}`, ex);
    }
  }

  /** Every non-zero stock position of the tenant (optionally of some materials), sorted; see balanceKey. */
  async balances(materialId?: string): Promise<string[]> {
    return (await this.all(`/v1/stock/balances${materialId ? `?materialId=${materialId}` : ''}`)).map(balanceKey).sort();
  }

  /** The ledger rows a query selects, in posting order, as `type MATERIAL@WAREHOUSE[/BIN][#BATCH][*SERIAL] ±qty`. */
  async ledger(query: string): Promise<string[]> {
    return (await this.all(`/v1/stock/movements?${query}`)).map((m) => {
      const where = positionKey({ ...m, warehouseCode: this.warehouseCodes.get(m.warehouseId) ?? m.warehouseId, binCode: m.binId ? (this.binCodes.get(m.binId) ?? m.binId) : null });
      return `${m.type} ${where} ${m.quantity.startsWith('-') ? '' : '+'}${canon(m.quantity)}`;
    });
  }

  // ---- master data -------------------------------------------------------------------------

  private readonly warehouseCodes = new Map<string, string>();
  private readonly binCodes = new Map<string, string>();

  async units(...units: Array<[code: string, decimals: number]>): Promise<void> {
    for (const [code, decimals] of units) await this.post('/v1/units', { code, name: code, decimals });
  }

  async conversion(fromUnit: string, toUnit: string, factor: string, materialId?: string): Promise<void> {
    await this.post('/v1/unit-conversions', { fromUnit, toUnit, factor, ...(materialId ? { materialId } : {}) });
  }

  /** A material (base unit PCS unless said); its id. */
  async material(code: string, extra: Record<string, unknown> = {}): Promise<string> {
    return (await this.post('/v1/materials', { code, name: code, baseUnit: 'PCS', ...extra })).id;
  }

  async warehouse(code: string, kind: 'normal' | 'quarantine' | 'wip' = 'normal'): Promise<string> {
    const id = (await this.post('/v1/warehouses', { code, name: code, kind })).id as string;
    this.warehouseCodes.set(id, code);
    return id;
  }

  async bin(warehouseId: string, code: string): Promise<string> {
    const id = (await this.post(`/v1/warehouses/${warehouseId}/bins`, { code })).id as string;
    this.binCodes.set(id, code);
    return id;
  }

  /** Posts an other_in stock document (opening stock for a scenario); the document. */
  stockIn(lines: unknown[]): Promise<any> {
    return this.post('/v1/stock-documents', { type: 'other_in', post: true, lines });
  }

  async customer(code: string, extra: Record<string, unknown> = {}): Promise<string> {
    return (await this.post('/v1/customers', { code, name: `Customer ${code}`, ...extra })).id;
  }

  async supplier(code: string, extra: Record<string, unknown> = {}): Promise<string> {
    return (await this.post('/v1/suppliers', { code, name: `Supplier ${code}`, ...extra })).id;
  }

  /** A sales order, approved; the order as approval returned it. */
  async approvedSalesOrder(body: Record<string, unknown>): Promise<any> {
    const order = await this.post('/v1/sales-orders', body);
    return this.action('approveSalesOrder', `/v1/sales-orders/${order.id}/approve`, order.version);
  }

  /** A purchase order, approved; the order as approval returned it. */
  async approvedPurchaseOrder(body: Record<string, unknown>): Promise<any> {
    const order = await this.post('/v1/purchase-orders', body);
    return this.action('approvePurchaseOrder', `/v1/purchase-orders/${order.id}/approve`, order.version);
  }
}
