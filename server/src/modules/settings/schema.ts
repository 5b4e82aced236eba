import { Type, type Static } from '@sinclair/typebox';
import { Timestamp } from '../../platform/schemas.js';

const Percent = (description: string) => Type.String({ pattern: '^(0|[1-9][0-9]{0,2})(\\.[0-9]{1,4})?$', description: `${description}; percent, a decimal string (0 to below 1000)` });

export const TenantSettingsSchema = Type.Object(
  {
    forbidSelfApproval: Type.Boolean({ description: 'Nobody approves a sales, purchase or production order they created (business review, S1-5.1.5)' }),
    productionOrderApproval: Type.Boolean({ description: 'Production orders are approved (production:approve) before they can be released' }),
    productionIssueTolerance: Percent('Material issued to a production order may exceed its requirement by this much (over-issue)'),
    productionReportTolerance: Percent('An operation may report good quantity above what its predecessor passed (the first: the order quantity) by this much'),
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
    productionIssueTolerance: Type.Optional(Percent('Over-issue tolerance')),
    productionReportTolerance: Type.Optional(Percent('Over-report tolerance')),
    version: Type.Optional(Type.Integer({ minimum: 0, description: 'The version you read (0 while the defaults apply); omit to overwrite' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTenantSettingsInput = Static<typeof UpdateTenantSettingsBody>;
