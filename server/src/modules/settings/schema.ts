import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from '../../platform/schemas.js';

export const TenantSettingsSchema = Type.Object(
  {
    forbidSelfApproval: Type.Boolean({ description: 'Nobody approves a sales, purchase or production order they created (business review, S1-5.1.5)' }),
    productionOrderApproval: Type.Boolean({ description: 'Production orders are approved (production:approve) before they can be released' }),
    version: Type.Integer({ description: 'Send it back in a PATCH: a stale version answers 409' }),
    updatedAt: Type.Union([Timestamp(), Type.Null()], { description: 'null while the defaults apply' }),
  },
  { $id: 'TenantSettings', additionalProperties: false },
);
export type TenantSettings = Static<typeof TenantSettingsSchema>;

export const UpdateTenantSettingsBody = Type.Object(
  {
    forbidSelfApproval: Type.Optional(Type.Boolean()),
    productionOrderApproval: Type.Optional(Type.Boolean()),
    version: Type.Optional(Type.Integer({ minimum: 0, description: 'The version you read (0 while the defaults apply); omit to overwrite' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTenantSettingsInput = Static<typeof UpdateTenantSettingsBody>;
