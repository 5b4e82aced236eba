/**
 * Customers and suppliers with every field S1 names, and the sales and purchasing
 * organisations (S1-5.4.1-a, S1-5.4.2-a), through real HTTP on a real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer } from './harness.js';

let t: TestServer;
let A: Awaited<ReturnType<typeof createTenant>>;
let B: Awaited<ReturnType<typeof createTenant>>;
const as = (key: string) => (method: string, path: string, body?: unknown) => call(t.url, key, method, path, body);

beforeAll(async () => {
  t = await startTestServer();
  A = await createTenant(t, 'partners-a');
  B = await createTenant(t, 'partners-b');
});

afterAll(async () => {
  await t?.stop();
});

const fullCustomer = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  name: '厦门海鸥风机有限公司',
  address: '福建省厦门市集美区杏林湾路 88 号',
  taxNumber: '91350200MA2XYZ1234',
  uscc: '91350100M000100Y43',
  bankAccounts: [{ bankName: '中国工商银行厦门分行', accountNumber: '4100021109024512345', accountName: '厦门海鸥风机有限公司' }],
  settlement: { method: 'credit', days: 60 },
  overDeliveryTolerance: '5',
  ...extra,
});

describe('customers and the sales organisation (S1-5.4.1-a)', () => {
  it('S1-5.4.1-a: a customer keeps every field, with its salesperson and sales group', async () => {
    const api = as(A.key);
    const group = await api('POST', '/v1/sales-groups', { code: 'EAST', name: '华东销售组' });
    expect(group.status).toBe(201);
    const person = await api('POST', '/v1/salespersons', { code: 'S001', name: '王芳', groupId: group.body.id });
    expect(person.body).toMatchObject({ kind: 'sales', code: 'S001', groupId: group.body.id });
    const created = await api('POST', '/v1/customers', fullCustomer('C001', { personId: person.body.id, groupId: group.body.id }));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      ...fullCustomer('C001'), kind: 'customer', personId: person.body.id, groupId: group.body.id, status: 'active', version: 1,
    });
    expect((await api('GET', `/v1/customers/${created.body.id}`)).body).toEqual(created.body);
    expect((await api('GET', '/v1/salespersons')).body.items.map((p: any) => p.code)).toEqual(['S001']);
    expect((await api('GET', `/v1/customers?personId=${person.body.id}`)).body.items.map((c: any) => c.code)).toEqual(['C001']);
  });

  it('S1-5.4.1-a: a mistyped unified social credit code is refused by its check character, with every other bad field, and nothing is saved', async () => {
    const api = as(A.key);
    const res = await api('POST', '/v1/customers', fullCustomer('C-BAD', { uscc: '91350100M000100Y44', personId: crypto.randomUUID() }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('PARTNER_INVALID');
    expect(res.body.errors.map((e: any) => `${e.field} ${e.code}`).sort()).toEqual(['personId UNKNOWN_PERSON', 'uscc USCC_CHECK_CHARACTER']);
    const shape = await api('POST', '/v1/customers', { code: 'C-BAD2', name: 'X', bankAccounts: [{ bankName: 'B', accountNumber: '12ab', accountName: 'X' }], settlement: { method: 'barter', days: 0 } });
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: any) => `${e.field} ${e.code}`).sort()).toEqual(['bankAccounts[0].accountNumber PATTERN', 'settlement.method NOT_ALLOWED']);
    expect((await api('GET', '/v1/customers?q=C-BAD')).body.items).toEqual([]);
  });

  it('S1-5.4.1-a: codes and credit codes are unique per kind; a salesperson of another group is refused', async () => {
    const api = as(A.key);
    expect((await api('POST', '/v1/customers', fullCustomer('C001'))).body.code).toBe('PARTNER_CODE_TAKEN');
    const dup = await api('POST', '/v1/customers', fullCustomer('C002'));
    expect(dup.body.errors).toEqual([expect.objectContaining({ field: 'uscc', code: 'USCC_TAKEN' })]);
    const other = await api('POST', '/v1/sales-groups', { code: 'WEST', name: '西部销售组' });
    const person = (await api('GET', '/v1/salespersons')).body.items[0];
    const mismatch = await api('POST', '/v1/customers', { code: 'C003', name: 'Y', personId: person.id, groupId: other.body.id });
    expect(mismatch.body.errors).toEqual([expect.objectContaining({ field: 'groupId', code: 'PERSON_NOT_IN_GROUP' })]);
  });

  it('S1-5.4.1-a: a PATCH changes only what it names, bumps the version, and a stale version is 409', async () => {
    const api = as(A.key);
    const c = (await api('GET', '/v1/customers?q=C001')).body.items[0];
    const changed = await api('PATCH', `/v1/customers/${c.id}`, { version: c.version, settlement: { method: 'transfer', days: 30 }, overDeliveryTolerance: '2.5' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ name: c.name, uscc: c.uscc, settlement: { method: 'transfer', days: 30 }, overDeliveryTolerance: '2.5', version: c.version + 1 });
    const stale = await api('PATCH', `/v1/customers/${c.id}`, { version: c.version, name: 'late' });
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: c.version + 1 });
  });
});

describe('suppliers and the purchasing organisation (S1-5.4.2-a)', () => {
  it('S1-5.4.2-a: a supplier has the same fields with its buyer and purchasing group; a salesperson cannot be its buyer', async () => {
    const api = as(A.key);
    const group = await api('POST', '/v1/purchasing-groups', { code: 'ELEC', name: '电子料采购组' });
    const buyer = await api('POST', '/v1/buyers', { code: 'B001', name: '李强', groupId: group.body.id });
    const supplier = await api('POST', '/v1/suppliers', fullCustomer('V001', { personId: buyer.body.id, groupId: group.body.id }));
    expect(supplier.status).toBe(201);
    expect(supplier.body).toMatchObject({ kind: 'supplier', code: 'V001', uscc: '91350100M000100Y43', personId: buyer.body.id });
    const salesperson = (await api('GET', '/v1/salespersons')).body.items[0];
    const wrong = await api('POST', '/v1/suppliers', { code: 'V002', name: 'Z', personId: salesperson.id });
    expect(wrong.body.errors).toEqual([expect.objectContaining({ field: 'personId', code: 'UNKNOWN_PERSON' })]);
    // The same code and credit code may be both a customer and a supplier: they are different roles.
    expect((await api('GET', '/v1/customers?q=C001')).body.items).toHaveLength(1);
    expect((await api('GET', `/v1/customers/${supplier.body.id}`)).status).toBe(404);
  });

  it('S1-5.3.2-a: tenant B sees none of A’s partners or organisation, and cannot change them', async () => {
    const a = as(A.key);
    const b = as(B.key);
    const customer = (await a('GET', '/v1/customers')).body.items[0];
    expect((await b('GET', `/v1/customers/${customer.id}`)).status).toBe(404);
    expect((await b('PATCH', `/v1/customers/${customer.id}`, { version: customer.version, name: 'taken over' })).status).toBe(404);
    for (const path of ['/v1/customers', '/v1/suppliers', '/v1/sales-groups', '/v1/purchasing-groups', '/v1/salespersons', '/v1/buyers']) {
      expect((await b('GET', path)).body.items, path).toEqual([]);
    }
    expect((await a('GET', `/v1/customers/${customer.id}`)).body.name).toBe(customer.name);
  });

  it('S1-5.3.2-a: a key with sales:read reads customers but cannot create one, nor read suppliers', async () => {
    const key = (await as(A.key)('POST', '/v1/api-keys', { name: 'sales-reader', permissions: ['sales:read'] })).body.key;
    const api = as(key);
    expect((await api('GET', '/v1/customers')).status).toBe(200);
    expect((await api('POST', '/v1/customers', { code: 'C9', name: 'N' })).body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'sales:write' });
    expect((await api('GET', '/v1/suppliers')).body).toMatchObject({ code: 'PERMISSION_DENIED', permission: 'purchasing:read' });
  });
});
