import { Type, type Static } from '@sinclair/typebox';
import { Page, Timestamp, Uuid } from '../../platform/schemas.js';

const Code = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$' });
const Settlement = Type.Object(
  {
    method: Type.Union([Type.Literal('cash'), Type.Literal('transfer'), Type.Literal('acceptance_bill'), Type.Literal('credit')]),
    days: Type.Integer({ minimum: 0, maximum: 365, description: 'Payment term in days' }),
  },
  { additionalProperties: false },
);
const BankAccount = Type.Object(
  {
    bankName: Type.String({ minLength: 1, maxLength: 100 }),
    accountNumber: Type.String({ pattern: '^[0-9]{8,32}$', description: '8 to 32 digits' }),
    accountName: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
const Tolerance = Type.String({ pattern: '^(100|[0-9]{1,2})(\\.[0-9]{1,2})?$', description: 'Percent a delivery may exceed the ordered quantity, e.g. "5"' });

export const PartnerSchema = Type.Object(
  {
    id: Uuid(),
    kind: Type.Union([Type.Literal('customer'), Type.Literal('supplier')]),
    code: Type.String(),
    name: Type.String(),
    address: Type.String(),
    taxNumber: Type.Union([Type.String(), Type.Null()]),
    uscc: Type.Union([Type.String(), Type.Null()], { description: 'Unified social credit code (统一社会信用代码)' }),
    bankAccounts: Type.Array(BankAccount),
    settlement: Settlement,
    personId: Type.Union([Uuid(), Type.Null()], { description: 'The salesperson (customers) or buyer (suppliers) in charge' }),
    groupId: Type.Union([Uuid(), Type.Null()], { description: 'The sales group (customers) or purchasing group (suppliers)' }),
    overDeliveryTolerance: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('blocked')]),
    version: Type.Integer(),
    createdAt: Timestamp(),
    updatedAt: Timestamp(),
  },
  { $id: 'Partner' },
);
export type Partner = Static<typeof PartnerSchema>;
export const PartnerPageSchema = Page(Type.Ref(PartnerSchema), 'PartnerPage');

const editable = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  address: Type.String({ maxLength: 500 }),
  taxNumber: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Null()]),
  uscc: Type.Union([Type.String({ maxLength: 18 }), Type.Null()]),
  bankAccounts: Type.Array(BankAccount, { maxItems: 20 }),
  settlement: Settlement,
  personId: Type.Union([Uuid(), Type.Null()]),
  groupId: Type.Union([Uuid(), Type.Null()]),
  overDeliveryTolerance: Tolerance,
};

const Editable = Type.Object(editable);

export const CreatePartnerBody = Type.Composite([Type.Object({ code: Code, name: editable.name }), Type.Partial(Type.Omit(Editable, ['name']))], {
  additionalProperties: false,
});
export type CreatePartnerInput = Static<typeof CreatePartnerBody>;

export const UpdatePartnerBody = Type.Composite(
  [
    Type.Object({ version: Type.Integer({ minimum: 1 }), status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('blocked')])) }),
    Type.Partial(Editable),
  ],
  { additionalProperties: false },
);
export type UpdatePartnerInput = Static<typeof UpdatePartnerBody>;

export const PartnerListQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Code or name contains' })),
    personId: Type.Optional(Uuid()),
    groupId: Type.Optional(Uuid()),
  },
  { additionalProperties: false },
);

export const OrgGroupSchema = Type.Object(
  { id: Uuid(), kind: Type.Union([Type.Literal('sales'), Type.Literal('purchasing')]), code: Type.String(), name: Type.String() },
  { $id: 'OrgGroup' },
);
export const OrgGroupListSchema = Type.Object({ items: Type.Array(Type.Ref(OrgGroupSchema)) }, { $id: 'OrgGroupList' });
export const OrgPersonSchema = Type.Object(
  { id: Uuid(), kind: Type.Union([Type.Literal('sales'), Type.Literal('purchasing')]), code: Type.String(), name: Type.String(), groupId: Type.Union([Uuid(), Type.Null()]) },
  { $id: 'OrgPerson' },
);
export type OrgPerson = Static<typeof OrgPersonSchema>;
export const OrgPersonListSchema = Type.Object({ items: Type.Array(Type.Ref(OrgPersonSchema)) }, { $id: 'OrgPersonList' });
export const CreateOrgGroupBody = Type.Object({ code: Code, name: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const CreateOrgPersonBody = Type.Object(
  { code: Code, name: Type.String({ minLength: 1, maxLength: 200 }), groupId: Type.Optional(Uuid()) },
  { additionalProperties: false },
);
