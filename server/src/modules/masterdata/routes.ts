import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { notFound } from '../../platform/errors.js';
import { CURSOR, decodeCursor, pageOf } from '../../platform/pagination.js';
import { mutate, principalOf, read } from '../../platform/request.js';
import { IdParams, Uuid, problems } from '../../platform/schemas.js';
import { formatQty } from '../../platform/quantity.js';
import { unprocessable, type FieldError } from '../../platform/errors.js';
import * as repo from './repo.js';
import {
  BinListSchema, BinSchema, ConversionResultSchema, ConvertQuery, CreateBinBody, CreateConversionBody, CreateMaterialBody, CreateUnitBody,
  CreateVariantBody, CreateWarehouseBody, MaterialListQuery, MaterialPageSchema, MaterialSchema, SafetyStockSchema, SetSafetyStockBody,
  UnitConversionListSchema, UnitConversionSchema, UnitListSchema, UnitSchema, UpdateMaterialBody, UpdateWarehouseBody, WarehouseListSchema,
  WarehouseSchema,
} from './schema.js';
import * as service from './service.js';
import { UnitConverter } from './units.js';

/** Master data (S1-5.4.3-d/e, S1-5.4.4-a): units, materials and variants, warehouses and bins. */
export function masterdataRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [UnitSchema, UnitListSchema, UnitConversionSchema, UnitConversionListSchema, ConversionResultSchema, MaterialSchema, MaterialPageSchema,
    WarehouseSchema, WarehouseListSchema, BinSchema, BinListSchema, SafetyStockSchema]) app.addSchema(s);
  const tags = ['masterdata'];
  const readPerm = { permission: 'masterdata:read' };
  const writePerm = { permission: 'masterdata:write' };
  const tenant = (req: Parameters<typeof principalOf>[0]) => principalOf(req).tenantId;

  app.get('/v1/units', { config: readPerm, schema: { operationId: 'listUnits', tags, summary: 'Units of measure', response: { 200: Type.Ref(UnitListSchema), ...problems() } } },
    async (req) => ({ items: await read(db, req, (tx) => repo.listUnits(tx, tenant(req))) }));

  app.post('/v1/units', {
    config: writePerm,
    schema: { operationId: 'createUnit', tags, summary: 'Create a unit with its decimals and rounding rule', body: CreateUnitBody, response: { 201: Type.Ref(UnitSchema), ...problems(409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createUnit(tx, tenant(req), req.body), { status: 201, resource: (u) => `unit/${u.code}` }));

  app.get('/v1/unit-conversions', {
    config: readPerm,
    schema: { operationId: 'listUnitConversions', tags, summary: 'Unit conversions, global and per material', querystring: Type.Object({ materialId: Type.Optional(Uuid()) }, { additionalProperties: false }), response: { 200: Type.Ref(UnitConversionListSchema), ...problems() } },
  }, async (req) => ({ items: await read(db, req, (tx) => repo.listConversions(tx, tenant(req), req.query.materialId)) }));

  app.post('/v1/unit-conversions', {
    config: writePerm,
    schema: { operationId: 'createUnitConversion', tags, summary: 'Declare 1 fromUnit = factor toUnit (exact)', body: CreateConversionBody, response: { 201: Type.Ref(UnitConversionSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createConversion(tx, tenant(req), req.body), { status: 201, resource: (c) => `unit-conversion/${c.id}` }));

  app.get('/v1/materials', {
    config: readPerm,
    schema: { operationId: 'listMaterials', tags, summary: 'Materials, by code', querystring: MaterialListQuery, response: { 200: Type.Ref(MaterialPageSchema), ...problems() } },
  }, async (req) => {
    const limit = req.query.limit ?? 50;
    const after = decodeCursor(req.query.cursor, CURSOR.code)?.[0];
    const rows = await read(db, req, (tx) => repo.listMaterials(tx, tenant(req), { ...req.query, limit, after }));
    return pageOf(rows, limit, (m) => [m.code], (m) => m);
  });

  app.post('/v1/materials', {
    config: writePerm,
    schema: { operationId: 'createMaterial', tags, summary: 'Create a material (or a variant template with variantFeatures)', body: CreateMaterialBody, response: { 201: Type.Ref(MaterialSchema), ...problems(409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createMaterial(tx, tenant(req), req.body), { status: 201, resource: (m) => `material/${m.id}` }));

  app.get('/v1/materials/:id', {
    config: readPerm,
    schema: { operationId: 'getMaterial', tags, summary: 'Get a material', params: IdParams, response: { 200: Type.Ref(MaterialSchema), ...problems(404) } },
  }, async (req) => {
    const m = await read(db, req, (tx) => repo.findMaterial(tx, tenant(req), req.params.id));
    if (!m) throw notFound('material', req.params.id);
    return m;
  });

  app.patch('/v1/materials/:id', {
    config: writePerm,
    schema: { operationId: 'updateMaterial', tags, summary: 'Change a material (optimistic concurrency on version)', params: IdParams, body: UpdateMaterialBody, response: { 200: Type.Ref(MaterialSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.updateMaterial(tx, tenant(req), req.params.id, req.body), { resource: (m) => `material/${m.id}` }));

  app.post('/v1/materials/:id/variants', {
    config: writePerm,
    schema: { operationId: 'createMaterialVariant', tags, summary: 'Create a variant; its code is generated from the feature values', params: IdParams, body: CreateVariantBody, response: { 201: Type.Ref(MaterialSchema), ...problems(404, 409, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createVariant(tx, tenant(req), req.params.id, req.body), { status: 201, resource: (m) => `material/${m.id}` }));

  app.get('/v1/materials/:id/convert', {
    config: readPerm,
    schema: { operationId: 'convertMaterialQuantity', tags, summary: "Convert a quantity between units for this material (to its base unit by default)", params: IdParams, querystring: ConvertQuery, response: { 200: Type.Ref(ConversionResultSchema), ...problems(404, 422) } },
  }, async (req) => read(db, req, async (tx) => {
    const material = await repo.findMaterial(tx, tenant(req), req.params.id);
    if (!material) throw notFound('material', req.params.id);
    const errors: FieldError[] = [];
    const to = req.query.to ?? material.baseUnit;
    const result = (await UnitConverter.load(tx, tenant(req))).convert(material.id, req.query.quantity, req.query.from, to, '', errors);
    if (!result) throw unprocessable('CONVERSION_FAILED', 'the quantity cannot be converted', errors.map((e) => ({ ...e, in: 'query' as const, field: e.field === 'unit' ? 'from' : e.field })));
    return { quantity: formatQty(result.quantity), unit: to, exact: formatQty(result.exact) };
  }));

  app.put('/v1/materials/:id/safety-stock', {
    config: writePerm,
    schema: { operationId: 'setSafetyStock', tags, summary: 'Set the safety stock of a material, per warehouse or tenant-wide', params: IdParams, body: SetSafetyStockBody, response: { 200: Type.Ref(SafetyStockSchema), ...problems(404, 422) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.setSafetyStock(tx, tenant(req), req.params.id, req.body), { resource: (s) => `material/${s.materialId}/safety-stock` }));

  app.get('/v1/warehouses', { config: readPerm, schema: { operationId: 'listWarehouses', tags, summary: 'Warehouses', response: { 200: Type.Ref(WarehouseListSchema), ...problems() } } },
    async (req) => ({ items: await read(db, req, (tx) => repo.listWarehouses(tx, tenant(req))) }));

  app.post('/v1/warehouses', {
    config: writePerm,
    schema: { operationId: 'createWarehouse', tags, summary: 'Create a warehouse (normal, quarantine or WIP; negative stock allowed or not)', body: CreateWarehouseBody, response: { 201: Type.Ref(WarehouseSchema), ...problems(409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createWarehouse(tx, tenant(req), req.body), { status: 201, resource: (w) => `warehouse/${w.id}` }));

  app.get('/v1/warehouses/:id', {
    config: readPerm,
    schema: { operationId: 'getWarehouse', tags, summary: 'Get a warehouse', params: IdParams, response: { 200: Type.Ref(WarehouseSchema), ...problems(404) } },
  }, async (req) => {
    const w = await read(db, req, (tx) => repo.findWarehouse(tx, tenant(req), req.params.id));
    if (!w) throw notFound('warehouse', req.params.id);
    return w;
  });

  app.patch('/v1/warehouses/:id', {
    config: writePerm,
    schema: { operationId: 'updateWarehouse', tags, summary: 'Change a warehouse', params: IdParams, body: UpdateWarehouseBody, response: { 200: Type.Ref(WarehouseSchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.updateWarehouse(tx, tenant(req), req.params.id, req.body), { resource: (w) => `warehouse/${w.id}` }));

  app.get('/v1/warehouses/:id/bins', {
    config: readPerm,
    schema: { operationId: 'listBins', tags, summary: 'Bins of a warehouse', params: IdParams, response: { 200: Type.Ref(BinListSchema), ...problems(404) } },
  }, async (req) => read(db, req, async (tx) => {
    if (!(await repo.findWarehouse(tx, tenant(req), req.params.id))) throw notFound('warehouse', req.params.id);
    return { items: await repo.listBins(tx, tenant(req), req.params.id) };
  }));

  app.post('/v1/warehouses/:id/bins', {
    config: writePerm,
    schema: { operationId: 'createBin', tags, summary: 'Create a bin in a warehouse', params: IdParams, body: CreateBinBody, response: { 201: Type.Ref(BinSchema), ...problems(404, 409) } },
  }, async (req, reply) => mutate(db, req, reply, (tx) => service.createBin(tx, tenant(req), req.params.id, req.body), { status: 201, resource: (b) => `bin/${b.id}` }));
}

