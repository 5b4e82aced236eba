import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Page, PageQuery, Timestamp, Uuid } from '../../platform/schemas.js';
import { AQLS, LEVELS, SEVERITIES } from './sampling.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Lit = <T extends string>(...v: T[]) => Type.Union(v.map((x) => Type.Literal(x)));
const Code = (description?: string) => Type.String({ pattern: '^[A-Za-z0-9_.-]{1,64}$', description });
const Name = Type.String({ minLength: 1, maxLength: 200 });
const Decimal = (description?: string) => Type.String({ pattern: '^-?\\d{1,15}(\\.\\d{1,10})?$', description });
const Quantity = (description?: string) => Type.String({ pattern: '^\\d{1,15}(\\.\\d{1,6})?$', description });

export const INSPECTION_TYPES = ['incoming', 'in_process', 'final', 'first_article', 'patrol'] as const;
export const InspectionType = Lit(...INSPECTION_TYPES);
export const DefectSeverity = Lit('critical', 'major', 'minor');
export const Judgement = Lit('good', 'defective', 'scrap');
export const Level = Lit(...LEVELS);
export const AqlValue = Lit(...AQLS);
export const SeverityValue = Lit(...SEVERITIES);
export const DISPOSITION_KINDS = ['accept', 'return', 'quarantine', 'rework', 'concession', 'scrap'] as const;

// ---------------------------------------------------------------- defect codes

export const DefectCodeSchema = Type.Object(
  { id: Uuid(), code: Type.String(), name: Type.String(), severity: DefectSeverity, status: Lit('active', 'retired'), createdAt: Timestamp() },
  { $id: 'QualityDefectCode' },
);
export type DefectCode = Static<typeof DefectCodeSchema>;
export const DefectCodePageSchema = Page(Type.Ref(DefectCodeSchema), 'QualityDefectCodePage');
export const CreateDefectCodeBody = Type.Object(
  { code: Code('Defect code, unique in the tenant'), name: Name, severity: DefectSeverity },
  { additionalProperties: false },
);
export type CreateDefectCodeInput = Static<typeof CreateDefectCodeBody>;

// ---------------------------------------------------------------- standards (S1-5.4.5-a)

export const StandardItemInput = Type.Object(
  {
    code: Code('Item code, unique in the standard'),
    name: Name,
    kind: Lit('quantitative', 'qualitative'),
    nominal: Type.Optional(Decimal('Quantitative: the nominal value')),
    lowerLimit: Type.Optional(Decimal('Quantitative: lowest good value (inclusive)')),
    upperLimit: Type.Optional(Decimal('Quantitative: highest good value (inclusive)')),
    unit: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'Quantitative: the unit values are measured in' })),
    decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 6, description: 'Quantitative: decimals a measured value may have' })),
    defectCode: Type.Optional(Code('The defect recorded when the item fails (a defect code)')),
    method: Type.Optional(Type.String({ maxLength: 500 })),
    instrument: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type StandardItemIn = Static<typeof StandardItemInput>;

export const StandardItemSchema = Type.Object({
  itemNo: Type.Integer(),
  code: Type.String(),
  name: Type.String(),
  kind: Lit('quantitative', 'qualitative'),
  nominal: Nullable(Type.String()),
  lowerLimit: Nullable(Type.String()),
  upperLimit: Nullable(Type.String()),
  unit: Nullable(Type.String()),
  decimals: Nullable(Type.Integer()),
  defectCode: Nullable(Type.String()),
  method: Type.String(),
  instrument: Type.String(),
});
export type StandardItem = Static<typeof StandardItemSchema>;

export const StandardSchema = Type.Object(
  {
    id: Uuid(),
    code: Type.String(),
    name: Type.String(),
    materialId: Nullable(Uuid()),
    materialCode: Nullable(Type.String()),
    materialCategory: Nullable(Type.String({ description: 'The product class the standard applies to (materials.category)' })),
    status: Lit('active', 'retired'),
    version: Type.Integer(),
    itemsVersion: Type.Integer({ description: 'The version of the items shown (the current one unless asked); new inspections take the current one' }),
    items: Type.Array(StandardItemSchema),
    createdAt: Timestamp(),
  },
  { $id: 'QualityStandard' },
);
export type Standard = Static<typeof StandardSchema>;
export const StandardPageSchema = Page(Type.Ref(StandardSchema), 'QualityStandardPage');
export const CreateStandardBody = Type.Object(
  {
    code: Code('Standard code'),
    name: Name,
    materialId: Type.Optional(Uuid('One material; or give materialCategory')),
    materialCategory: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Every material of this category' })),
    items: Type.Array(StandardItemInput, { minItems: 1, maxItems: 200 }),
  },
  { additionalProperties: false },
);
export type CreateStandardInput = Static<typeof CreateStandardBody>;
export const UpdateStandardBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'The version read' }), name: Type.Optional(Name), status: Type.Optional(Lit('active', 'retired')) },
  { additionalProperties: false },
);
export type UpdateStandardInput = Static<typeof UpdateStandardBody>;
export const ReplaceStandardItemsBody = Type.Object(
  { version: Type.Integer({ minimum: 1, description: 'The version read' }), items: Type.Array(StandardItemInput, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
export type ReplaceStandardItemsInput = Static<typeof ReplaceStandardItemsBody>;
export const StandardQuery = Type.Object(
  { itemsVersion: Type.Optional(Type.Integer({ minimum: 1, description: 'Show the items of this version (default: the current one)' })) },
  { additionalProperties: false },
);
export const StandardListQuery = Type.Object({ ...PageQuery.properties, materialId: Type.Optional(Uuid()) }, { additionalProperties: false });

// ---------------------------------------------------------------- plans (S1-5.4.5-a, -b)

export const PlanSchema = Type.Object(
  {
    id: Uuid(),
    code: Type.String(),
    name: Type.String(),
    inspectionType: InspectionType,
    standardId: Uuid(),
    standardCode: Type.String(),
    itemCodes: Type.Array(Type.String(), { description: 'The standard items inspected (all when empty)' }),
    sampling: Lit('full', 'fixed', 'aql'),
    sampleSize: Nullable(Type.Integer()),
    acceptNumber: Nullable(Type.Integer()),
    aql: Nullable(Type.String()),
    inspectionLevel: Nullable(Type.String()),
    everyHours: Nullable(Type.String()),
    everyPieces: Nullable(Type.Integer()),
    operationSeq: Nullable(Type.Integer({ description: "First-article, in-process, patrol: the operation of the product's routing the plan covers (none: every operation)" })),
    status: Lit('active', 'retired'),
    version: Type.Integer(),
    createdAt: Timestamp(),
  },
  { $id: 'QualityPlan' },
);
export type Plan = Static<typeof PlanSchema>;
export const PlanPageSchema = Page(Type.Ref(PlanSchema), 'QualityPlanPage');
export const CreatePlanBody = Type.Object(
  {
    code: Code('Plan code'),
    name: Name,
    inspectionType: InspectionType,
    standardId: Uuid(),
    itemCodes: Type.Optional(Type.Array(Code(), { maxItems: 200, description: 'Items of the standard to inspect; default all' })),
    sampling: Lit('full', 'fixed', 'aql'),
    sampleSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, description: 'fixed: pieces per lot' })),
    acceptNumber: Type.Optional(Type.Integer({ minimum: 0, description: 'fixed: most defective pieces the lot is still accepted with; default 0' })),
    aql: Type.Optional(AqlValue),
    inspectionLevel: Type.Optional(Level),
    everyHours: Type.Optional(Decimal('patrol: inspect every N hours')),
    everyPieces: Type.Optional(Type.Integer({ minimum: 1, description: 'patrol: inspect every N pieces' })),
    operationSeq: Type.Optional(Type.Integer({ minimum: 1, description: "first_article, in_process, patrol: only this operation of the product's routing; default every operation" })),
  },
  { additionalProperties: false },
);
export type CreatePlanInput = Static<typeof CreatePlanBody>;
export const UpdatePlanBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, description: 'The version read' }),
    name: Type.Optional(Name),
    status: Type.Optional(Lit('active', 'retired')),
    sampling: Type.Optional(Lit('full', 'fixed', 'aql')),
    sampleSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
    acceptNumber: Type.Optional(Type.Integer({ minimum: 0 })),
    aql: Type.Optional(AqlValue),
    inspectionLevel: Type.Optional(Level),
    everyHours: Type.Optional(Nullable(Decimal('patrol: every N hours; null clears'))),
    everyPieces: Type.Optional(Nullable(Type.Integer({ minimum: 1, description: 'patrol: every N pieces; null clears' }))),
    operationSeq: Type.Optional(Nullable(Type.Integer({ minimum: 1, description: 'null: every operation' }))),
  },
  { additionalProperties: false },
);
export type UpdatePlanInput = Static<typeof UpdatePlanBody>;
export const PlanListQuery = Type.Object({ ...PageQuery.properties, inspectionType: Type.Optional(InspectionType) }, { additionalProperties: false });

export const SamplingPlanQuery = Type.Object(
  { lotSize: Type.Integer({ minimum: 2, maximum: 100_000_000 }), aql: AqlValue, level: Type.Optional(Level), severity: Type.Optional(SeverityValue) },
  { additionalProperties: false },
);
export const SamplingPlanSchema = Type.Object(
  {
    severity: SeverityValue, level: Level, aql: Type.String(), lotSize: Type.Integer(), codeLetter: Type.String(), planLetter: Type.String(),
    sampleSize: Type.Integer(), ac: Type.Integer(), re: Type.Integer(), fullInspection: Type.Boolean(),
  },
  { $id: 'QualitySamplingPlan' },
);

export const SwitchingQuery = Type.Object({ supplierId: Uuid(), materialId: Uuid() }, { additionalProperties: false });
export const SwitchingStateSchema = Type.Object(
  {
    supplierId: Uuid(), materialId: Uuid(), severity: Lit('normal', 'tightened', 'reduced', 'discontinued'),
    recent: Type.Array(Type.Boolean(), { description: 'Last lots under this severity, oldest first (true = accepted)' }),
    acceptedRun: Type.Integer(), tightenedRejections: Type.Integer(), score: Type.Integer({ description: 'Switching score (normal → reduced at 30)' }),
  },
  { $id: 'QualitySwitchingState' },
);

// ---------------------------------------------------------------- inspections (S1-5.4.5-b, -c)

export const ResultSchema = Type.Object({
  sampleNo: Type.Integer(), itemCode: Type.String(), value: Nullable(Type.String()), passed: Type.Boolean(), defectCode: Nullable(Type.String()),
  recordedBy: Type.String(), recordedAt: Timestamp(),
});
export const DispositionSchema = Type.Object({
  id: Uuid(), lineNo: Type.Integer(), kind: Lit(...DISPOSITION_KINDS), quantity: Type.String(), warehouseId: Nullable(Uuid()), productionOrderId: Nullable(Uuid()),
  approvedBy: Nullable(Type.String()), reason: Type.String(), purchaseInboundId: Nullable(Uuid()), purchaseReturnId: Nullable(Uuid()),
  reworkOrderId: Nullable(Uuid('rework: the rework production order it made (source rework, linked to productionOrderId)')),
  createdBy: Type.String(), createdAt: Timestamp(),
});
export type Disposition = Static<typeof DispositionSchema>;

const inspectionFields = {
  id: Uuid(),
  docNo: Type.String(),
  inspectionType: InspectionType,
  planId: Nullable(Uuid("None for inspections recorded through purchasing's gate (accepted and rejected quantities, no samples)")),
  planCode: Nullable(Type.String()),
  materialId: Uuid(),
  materialCode: Type.String(),
  sourceKind: Lit('manual', 'purchase_receipt', 'production_order', 'sales_return'),
  receiptId: Nullable(Uuid()),
  receiptLineId: Nullable(Uuid()),
  productionOrderId: Nullable(Uuid()),
  operationSeq: Nullable(Type.Integer({ description: 'The operation of the production order inspected' })),
  trigger: Nullable(Lit('first_report', 'inspection_point', 'production_receipt', 'patrol_pieces', 'patrol_hours', 'receipt_gate', 'sales_return')),
  workReportId: Nullable(Uuid('The work report that started it')),
  productionReceiptId: Nullable(Uuid('The production receipt that started it (final inspection)')),
  supplierId: Nullable(Uuid()),
  warehouseId: Nullable(Uuid()),
  batchNo: Nullable(Type.String()),
  lotSize: Type.String(),
  severity: Nullable(SeverityValue),
  codeLetter: Nullable(Type.String()),
  sampleSize: Type.Integer(),
  acceptNumber: Type.Integer(),
  rejectNumber: Type.Integer(),
  status: Lit('open', 'judged', 'closed'),
  defectives: Nullable(Type.Integer({ description: 'Samples with at least one failed item' })),
  judgement: Nullable(Judgement),
  judgementReason: Nullable(Type.String()),
  judgedBy: Nullable(Type.String()),
  judgedAt: Nullable(Timestamp()),
  automaticJudgement: Nullable(Judgement),
  reviewReason: Nullable(Type.String()),
  reviewedBy: Nullable(Type.String()),
  reviewedAt: Nullable(Timestamp()),
  rejectedQuantity: Nullable(Type.String({ description: 'Of the lot, what the judgement rejects' })),
  disposedAccepted: Type.String(),
  disposedRejected: Type.String(),
  version: Type.Integer(),
  createdBy: Type.String(),
  createdAt: Timestamp(),
  standardItemsVersion: Type.Integer({ description: "The version of the standard's items this inspection was started with and is judged against" }),
};
export const InspectionSummarySchema = Type.Object(inspectionFields, { $id: 'QualityInspectionSummary' });
export type InspectionSummary = Static<typeof InspectionSummarySchema>;
const SalesReturnLinkSchema = Type.Object({
  returnId: Uuid(), docNo: Type.String(), customerCode: Type.String(), reasonCode: Type.String(), lineNo: Type.Integer(),
  quantity: Type.String({ description: 'Returned, base unit' }), batchNo: Nullable(Type.String()), serialNo: Nullable(Type.String()), returnedAt: Timestamp(),
});
export const InspectionSchema = Type.Object(
  {
    ...inspectionFields, results: Type.Array(ResultSchema), dispositions: Type.Array(DispositionSchema),
    salesReturns: Type.Array(SalesReturnLinkSchema, { description: 'The sales return lines linked to this inspection: the returned goods it inspects (S1-5.4.5-e)' }),
  },
  { $id: 'QualityInspection' },
);
export type Inspection = Static<typeof InspectionSchema>;
export const InspectionPageSchema = Page(Type.Ref(InspectionSummarySchema), 'QualityInspectionPage');
export const InspectionListSchema = Type.Object({ items: Type.Array(Type.Ref(InspectionSchema)) }, { $id: 'QualityInspectionList' });

export const CreateInspectionBody = Type.Object(
  {
    planId: Uuid(),
    materialId: Type.Optional(Uuid('Manual and production-order inspections: the material inspected (a receipt line names its own)')),
    lotSize: Type.Optional(Quantity('The lot inspected; a receipt line gives its pending quantity')),
    receiptLineId: Type.Optional(Uuid('Incoming: the purchase receipt line awaiting inspection')),
    productionOrderId: Type.Optional(Uuid('In-process, final, first-article, patrol: the production order')),
    warehouseId: Type.Optional(Uuid('Where the lot lies in stock (for quarantine and scrap)')),
    batchNo: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type CreateInspectionInput = Static<typeof CreateInspectionBody>;
export const SalesReturnInspectionBody = Type.Object(
  {
    planId: Type.Optional(Uuid('The plan for a new inspection per line; default the active final plan for the line\'s material')),
    inspectionId: Type.Optional(Uuid('Link the lines to this existing inspection (of the same material) instead of making new ones')),
    lineNos: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 1000, description: 'Default: every line not yet linked (of the inspection\'s material, with inspectionId)' })),
  },
  { additionalProperties: false },
);
export type SalesReturnInspectionInput = Static<typeof SalesReturnInspectionBody>;
export const DrawingRevisionRequestBody = Type.Object(
  {
    drawingId: Uuid('The process drawing to revise: of the product, the plan (inspectionRef) or the operation inspected'),
    defectCode: Code('A defect the inspection found'),
    reason: Type.String({ minLength: 1, maxLength: 1000, description: 'What to change and why' }),
  },
  { additionalProperties: false },
);
export type DrawingRevisionRequestInput = Static<typeof DrawingRevisionRequestBody>;
export const FromReceiptBody = Type.Object({ planId: Type.Optional(Uuid('Default: the active incoming plan for each line\'s material')) }, { additionalProperties: false });

export const InspectionListQuery = Type.Object(
  {
    ...PageQuery.properties,
    status: Type.Optional(Lit('open', 'judged', 'closed')),
    inspectionType: Type.Optional(InspectionType),
    materialId: Type.Optional(Uuid()),
    receiptId: Type.Optional(Uuid()),
    docNo: Type.Optional(Type.String({ minLength: 1, maxLength: 50, description: 'The inspection with this number' })),
    productionOrderId: Type.Optional(Uuid('Inspections of this production order')),
  },
  { additionalProperties: false },
);

export const ResultsBody = Type.Object(
  {
    results: Type.Array(
      Type.Object(
        {
          sampleNo: Type.Integer({ minimum: 1 }),
          itemCode: Code(),
          value: Type.Optional(Decimal('Quantitative: the measured value in the item\'s unit')),
          unit: Type.Optional(Type.String({ maxLength: 20, description: 'Quantitative: the unit measured in; must be the item\'s' })),
          passed: Type.Optional(Type.Boolean({ description: 'Qualitative: pass or fail' })),
          defectCode: Type.Optional(Code('Qualitative failure: the defect seen (default the item\'s)')),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100_000 },
    ),
  },
  { additionalProperties: false },
);
export type ResultsInput = Static<typeof ResultsBody>;

export const ReviewBody = Type.Object(
  { judgement: Judgement, reason: Type.String({ minLength: 1, maxLength: 1000 }), version: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);
export type ReviewInput = Static<typeof ReviewBody>;

export const DispositionBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        {
          kind: Lit(...DISPOSITION_KINDS),
          quantity: Quantity(),
          warehouseId: Type.Optional(Uuid('accept (incoming): the stock warehouse; quarantine: the quarantine warehouse')),
          productionOrderId: Type.Optional(Uuid("rework: the production order whose output is reworked (default the inspection's); a rework order is made for it")),
          approvedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'concession: who approved using it' })),
          reason: Type.Optional(Type.String({ maxLength: 1000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 20 },
    ),
  },
  { additionalProperties: false },
);
export type DispositionInput = Static<typeof DispositionBody>;

// ---------------------------------------------------------------- reports (S1-5.4.5-f)

const PeriodFields = { from: Timestamp('Judged at or after'), to: Timestamp('Judged before') };
export const ParetoQuery = Type.Object({ ...PeriodFields, groupBy: Type.Optional(Lit('code', 'supplier', 'material', 'operation', 'line')) }, { additionalProperties: false });
export const PeriodQuery = Type.Object(PeriodFields, { additionalProperties: false });
export const ChartQuery = Type.Object({ ...PeriodFields, planId: Uuid(), itemCode: Code() }, { additionalProperties: false });
const Share = (description: string) => Type.Number({ description });
export const ParetoSchema = Type.Object(
  {
    groupBy: Lit('code', 'supplier', 'material', 'operation', 'line'), from: Type.String(), to: Type.String(), total: Type.Integer({ description: 'Defects found (failed results)' }),
    items: Type.Array(Type.Object({ key: Type.String(), name: Type.String(), count: Type.Integer(), share: Share('Percent of all defects'), cumulativeShare: Share('Percent, running') })),
  },
  { $id: 'QualityDefectPareto' },
);
export const YieldSchema = Type.Object(
  {
    from: Type.String(), to: Type.String(),
    items: Type.Array(Type.Object({
      materialId: Uuid(), materialCode: Type.String(), inspectionType: InspectionType, lots: Type.Integer(),
      passedFirst: Type.Integer({ description: 'Lots judged good by the automatic judgement' }), firstPassYield: Share('Percent'),
    })),
  },
  { $id: 'QualityFirstPassYield' },
);
export const SupplierPpmSchema = Type.Object(
  {
    from: Type.String(), to: Type.String(),
    items: Type.Array(Type.Object({
      supplierId: Uuid(), supplierCode: Type.String(), lots: Type.Integer(), sampled: Type.Integer(), defectives: Type.Integer(), received: Type.String(), rejected: Type.String(),
      samplePpm: Type.Integer({ description: 'Defective pieces per million pieces inspected' }), lotPpm: Type.Integer({ description: 'Pieces rejected per million received' }),
    })),
  },
  { $id: 'QualitySupplierPpm' },
);
const LeadTimes = Type.Array(Type.Object({
  key: Type.String({ description: 'Inspection type, or supplier code (- for none)' }), name: Type.String(), lots: Type.Integer({ description: 'Inspections judged' }),
  p50Minutes: Type.Number({ description: 'Created → judged, median' }), p95Minutes: Type.Number(), meanMinutes: Type.Number(), maxMinutes: Type.Number(),
}));
export const LeadTimeSchema = Type.Object({ from: Type.String(), to: Type.String(), byInspectionType: LeadTimes, bySupplier: LeadTimes }, { $id: 'QualityLeadTimes' });
const Limits = Type.Object({ centre: Type.Number(), ucl: Type.Number(), lcl: Type.Number() });
export const ControlChartSchema = Type.Object(
  {
    planId: Uuid(), itemCode: Type.String(), subgroupSize: Type.Integer(), xBar: Limits, range: Limits,
    points: Type.Array(Type.Object({
      inspectionId: Uuid(), docNo: Type.String(), mean: Type.Number(), range: Type.Number(),
      violations: Type.Array(Type.Integer(), { description: 'Western Electric rules broken at this point (1–4)' }),
    })),
  },
  { $id: 'QualityControlChart' },
);

export const PatrolDueBody = Type.Object(
  { at: Type.Optional(Timestamp('The time the patrol round is for; default now. Each order gets one inspection per window of everyHours')) },
  { additionalProperties: false },
);
