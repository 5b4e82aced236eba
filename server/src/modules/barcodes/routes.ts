import { Type } from '@sinclair/typebox';
import type { AppContext, MesApp } from '../../app.js';
import { notFound } from '../../platform/errors.js';
import { principalOf, read } from '../../platform/request.js';
import { problems } from '../../platform/schemas.js';
import * as repo from './repo.js';
import { Gs1FieldsSchema, LabelBody, LabelImage, MaterialLabelParams, MaterialLabelQuery, ResolveBody, ResolvedBarcodeSchema } from './schema.js';
import * as service from './service.js';

/** Barcodes and labels (S1-5.4.3-g, S1-4.3.4, S1-4.2.5-a). */
export function barcodeRoutes(app: MesApp, { db }: AppContext): void {
  for (const s of [Gs1FieldsSchema, ResolvedBarcodeSchema]) app.addSchema(s);
  const tags = ['barcodes'];

  // A read, though a POST: the code may hold characters a path or query would mangle (GS).
  app.post('/v1/barcodes/resolve', {
    config: { permission: 'inventory:read', readOnly: true },
    schema: {
      operationId: 'resolveBarcode', tags, summary: 'What a scanned or typed code identifies: material, batch, serial, location or document, with ids',
      body: ResolveBody, response: { 200: Type.Ref(ResolvedBarcodeSchema), ...problems(404, 422) },
    },
  }, async (req) => read(db, req, (tx) => service.resolveBarcode(tx, principalOf(req).tenantId, req.body.code)));

  app.post('/v1/labels', {
    config: { permission: 'inventory:read', readOnly: true },
    schema: {
      operationId: 'createLabel', tags, summary: 'Draw a GS1-128 label (SVG or PNG) for a material, batch, serial, location or document',
      body: LabelBody, response: { 200: LabelImage, ...problems(404, 422) },
    },
  }, async (req, reply) => {
    const { fields, format, text, scale } = req.body;
    await read(db, req, (tx) => service.resolveFields(tx, principalOf(req).tenantId, fields, 'fields'));
    const image = await service.renderLabel(fields, { format, text, scale });
    return reply.type(image.contentType).send(image.body);
  });

  app.get('/v1/labels/material/:id', {
    config: { permission: 'inventory:read', readOnly: true },
    schema: {
      operationId: 'getMaterialLabel', tags, summary: "Draw a GS1-128 label carrying a material's code alone",
      params: MaterialLabelParams, querystring: MaterialLabelQuery, response: { 200: LabelImage, ...problems(404, 422) },
    },
  }, async (req, reply) => {
    const material = await read(db, req, (tx) => repo.findMaterialById(tx, principalOf(req).tenantId, req.params.id));
    if (!material) throw notFound('material', req.params.id);
    const { format = 'svg', text, scale } = req.query;
    const image = await service.renderLabel({ material: material.code }, { format, text, scale });
    return reply.type(image.contentType).send(image.body);
  });
}
