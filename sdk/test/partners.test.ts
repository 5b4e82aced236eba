import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MesClient, MesError } from '../src/index.js';
import { createTenant, startTestServer, type TestServer } from './support/server.js';

let t: TestServer;
let mes: MesClient;

beforeAll(async () => {
  t = await startTestServer();
  mes = new MesClient({ baseUrl: t.url, apiKey: (await createTenant(t, 'sdk-partners')).key });
});

afterAll(async () => {
  await t?.stop();
});

describe('partners', () => {
  it('S1-5.4.1-a customers and the sales organisation through the SDK', async () => {
    const group = await mes.salesOrganisation.createGroup({ code: 'NORTH', name: '华北销售组' });
    const person = await mes.salesOrganisation.createPerson({ code: 'S7', name: '赵敏', groupId: group.id });
    expect((await mes.salesOrganisation.listGroups()).items).toEqual([group]);
    expect((await mes.salesOrganisation.listPeople()).items).toEqual([person]);
    const customer = await mes.customers.create({ code: 'C7', name: '北方暖通', uscc: '91110000802100433B', personId: person.id, groupId: group.id, settlement: { method: 'credit', days: 45 } });
    expect(customer).toMatchObject({ kind: 'customer', uscc: '91110000802100433B', settlement: { method: 'credit', days: 45 }, overDeliveryTolerance: '0' });
    expect(await mes.customers.get(customer.id)).toEqual(customer);
    const updated = await mes.customers.update(customer.id, { version: 1, overDeliveryTolerance: '3' });
    expect(updated).toMatchObject({ overDeliveryTolerance: '3', version: 2 });
    const seen = [];
    for await (const c of mes.customers.iterate({ limit: 1 })) seen.push(c.code);
    expect(seen).toEqual(['C7']);
    const err = await mes.customers.create({ code: 'C8', name: 'X', uscc: '91110000802100433C' }).catch((e: MesError) => e);
    expect(err).toBeInstanceOf(MesError);
    expect({ status: (err as MesError).status, code: (err as MesError).code, fields: (err as MesError).fields.map((f) => f.code) }).toEqual({ status: 422, code: 'PARTNER_INVALID', fields: ['USCC_CHECK_CHARACTER'] });
  });

  it('S1-5.4.2-a suppliers and the purchasing organisation through the SDK', async () => {
    const group = await mes.purchasingOrganisation.createGroup({ code: 'RAW', name: '原材料采购组' });
    const buyer = await mes.purchasingOrganisation.createPerson({ code: 'B7', name: '钱进', groupId: group.id });
    const supplier = await mes.suppliers.create({ code: 'V7', name: '宁波电机厂', personId: buyer.id, groupId: group.id, bankAccounts: [{ bankName: '宁波银行', accountNumber: '51010122000123456', accountName: '宁波电机厂' }] });
    expect(supplier).toMatchObject({ kind: 'supplier', personId: buyer.id, bankAccounts: [{ accountNumber: '51010122000123456' }] });
    expect((await mes.suppliers.list()).items.map((s) => s.code)).toEqual(['V7']);
    expect((await mes.purchasingOrganisation.listPeople()).items.map((p) => p.code)).toEqual(['B7']);
  });
});
