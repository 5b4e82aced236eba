import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, problems } from '../../platform/schemas.js';
import * as repo from './repo.js';
import {
  CreateOrgGroupBody, CreateOrgPersonBody, CreatePartnerBody, OrgGroupListSchema, OrgGroupSchema, OrgPersonListSchema, OrgPersonSchema,
  PartnerListQuery, PartnerPageSchema, PartnerSchema, UpdatePartnerBody,
} from './schema.js';
import * as service from './service.js';

/** One side of the business: who it deals with and who in the company deals with them. */
interface Side {
  kind: repo.PartnerKind;
  org: repo.OrgKind;
  /** Resource and operation names: customers / Customer, suppliers / Supplier … */
  partners: [path: string, singular: string, plural: string];
  groups: [path: string, singular: string, plural: string];
  people: [path: string, singular: string, plural: string];
}

const SIDES: Side[] = [
  { kind: 'customer', org: 'sales', partners: ['customers', 'Customer', 'Customers'], groups: ['sales-groups', 'SalesGroup', 'SalesGroups'], people: ['salespersons', 'Salesperson', 'Salespersons'] },
  { kind: 'supplier', org: 'purchasing', partners: ['suppliers', 'Supplier', 'Suppliers'], groups: ['purchasing-groups', 'PurchasingGroup', 'PurchasingGroups'], people: ['buyers', 'Buyer', 'Buyers'] },
];

/** Customers with the sales organisation (S1-5.4.1-a), suppliers with purchasing (S1-5.4.2-a). */
export function partnerRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [PartnerSchema, PartnerPageSchema, OrgGroupSchema, OrgGroupListSchema, OrgPersonSchema, OrgPersonListSchema]) app.addSchema(s);
  for (const side of SIDES) sideRoutes(app, db, side);
}

function sideRoutes(app: MesApp, db: AppContext['db'], side: Side): void {
  const tags = [side.org];
  const readPerm = { permission: `${side.org}:read` };
  const writePerm = { permission: `${side.org}:write` };
  const tenant = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;
  const [path, one, many] = side.partners;

  app.get(`/v1/${path}`, {
    config: readPerm,
    schema: { operationId: `list${many}`, tags, summary: `${many}, by code`, querystring: PartnerListQuery, response: { 200: Type.Ref(PartnerPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.code)?.[0];
    const rows = await read(db, req, (tx) => repo.listPartners(tx, tenant(req), side.kind, { ...req.query, limit, after }));
    return pageOf(rows, limit, (p) => [p.code], (p) => p);
  });

  app.post(`/v1/${path}`, {
    config: writePerm,
    schema: {
      operationId: `create${one}`, tags, summary: `Create a ${side.kind}; a unified social credit code is checked by its check character`,
      body: CreatePartnerBody, response: { 201: Type.Ref(PartnerSchema), ...problems(409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createPartner(tx, tenant(req), side.kind, req.body), { status: 201, resource: (p) => `${side.kind}/${p.id}` }));

  app.get(`/v1/${path}/:id`, {
    config: readPerm,
    schema: { operationId: `get${one}`, tags, summary: `Get a ${side.kind}`, params: IdParams, response: { 200: Type.Ref(PartnerSchema), ...problems(404) } },
  }, async (req) => {
    const p = await read(db, req, (tx) => repo.findPartner(tx, tenant(req), side.kind, req.params.id));
    if (!p) throw notFound(side.kind, req.params.id);
    return p;
  });

  app.patch(`/v1/${path}/:id`, {
    config: writePerm,
    schema: {
      operationId: `update${one}`, tags, summary: `Change a ${side.kind} (optimistic concurrency on version)`, params: IdParams, body: UpdatePartnerBody,
      response: { 200: Type.Ref(PartnerSchema), ...problems(404, 409, 422) },
    },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.updatePartner(tx, tenant(req), side.kind, req.params.id, req.body), { resource: (p) => `${side.kind}/${p.id}` }));

  const [groupPath, group, groups] = side.groups;
  app.get(`/v1/${groupPath}`, {
    config: readPerm,
    schema: { operationId: `list${groups}`, tags, summary: `${side.org} groups`, response: { 200: Type.Ref(OrgGroupListSchema), ...problems() } },
  }, async (req) => ({ items: await read(db, req, (tx) => repo.listGroups(tx, tenant(req), side.org)) }));

  app.post(`/v1/${groupPath}`, {
    config: writePerm,
    schema: { operationId: `create${group}`, tags, summary: `Create a ${side.org} group`, body: CreateOrgGroupBody, response: { 201: Type.Ref(OrgGroupSchema), ...problems(409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createGroup(tx, tenant(req), side.org, req.body), { status: 201, resource: (g) => `${groupPath}/${g.id}` }));

  const [peoplePath, person, people] = side.people;
  app.get(`/v1/${peoplePath}`, {
    config: readPerm,
    schema: { operationId: `list${people}`, tags, summary: `${people} and their groups`, response: { 200: Type.Ref(OrgPersonListSchema), ...problems() } },
  }, async (req) => ({ items: await read(db, req, (tx) => repo.listPeople(tx, tenant(req), side.org)) }));

  app.post(`/v1/${peoplePath}`, {
    config: writePerm,
    schema: { operationId: `create${person}`, tags, summary: `Create a ${person.toLowerCase()}`, body: CreateOrgPersonBody, response: { 201: Type.Ref(OrgPersonSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createPerson(tx, tenant(req), side.org, req.body), { status: 201, resource: (p) => `${peoplePath}/${p.id}` }));
}
