import { MesError } from './errors.js';
import { HttpCore, type BinaryBody, type Method, type StreamBody } from './http.js';
import { ROUTES, type RoutedOperation } from './routes.js';
import type {
  ApiKey, ApiKeyPage, AuditPage, AuditQuery, AuditRecord, Balance, BalanceExportQuery, BalancePage, BalanceQuery, Bin, BinList, BodyOf, ChainVerdict,
  CodeContextInput, CodePreview, CodingRule, CodingRuleList, ConversionResult, ConvertQuery, CountEntriesInput, CountEntriesResult, CountSheet,
  CountSheetListQuery, CountSheetPage, CountSheetQuery, CountSheetSummary, CreateApiKeyInput, CreateBinInput, CreateCountSheetInput, CreatedApiKey,
  CreatedTenant, CreateFeatureInput, CreateLabelInput, CreateMaterialInput, CreateStockDocumentInput, CreateTenantInput, CreateUnitConversionInput,
  EventQuery, OutboxEvent, OutboxEventPage, TenantSettings, UpdateTenantSettingsInput,
  CreateDeliveryPlanInput, CreateSalesOrderInput, CreateSalesOutboundInput, CreateSalesReturnInput, DeliveryPlan, DeliveryPlanPage, DeliveryPlanQuery,
  DeliveryPlanSummary, SalesOrder, SalesOrderPage, SalesOrderQuery, SalesOrderSummary, SalesOutbound, SalesOutboundPage,
  SalesOutboundQuery, SalesOutboundSummary, SalesProgressPage, SalesProgressQuery, SalesProgressRow, SalesReturn, SalesReturnPage, SalesReturnQuery,
  SalesReturnSummary, ScanSalesOutboundInput, UpdateDeliveryPlanInput, UpdateSalesOrderInput,
  CreateUnitInput, CreateUserInput, CreateVariantInput, CreateWarehouseInput, BatchList, CreateOrgGroupInput, CreateOrgPersonInput, CreatePartnerInput, Diagnostics, OrgGroup, OrgGroupList, OrgPerson, OrgPersonList, Partner, PartnerPage, PartnerQuery, UpdatePartnerInput, Feature, FeatureList, FifoQuery, FifoSuggestion, Health,
  LoginInput, Material, MaterialLabelQuery, MaterialPage, MaterialQuery, Me, Movement, MovementPage, MovementQuery, MutationOptions, PageQuery,
  PathOf, PlanList, PostCountSheetInput, PutCodingRuleInput, QueryOf, RequestOptions, ResolveBarcodeInput, ResolvedBarcode, ReverseStockDocumentInput,
  RoleList, SafetyStock, SafetyStockPage, SafetyStockReportQuery, SafetyStockRow, SetSafetyStockInput, StockDocument, StockDocumentPage,
  StockDocumentQuery, StockDocumentSummary, StockSummaryExportQuery, StockSummaryPage, StockSummaryQuery, StockSummaryRow, SuccessOf, Tenant,
  TenantPage, Token, Unit, UnitConversion, UnitConversionList, UnitConversionQuery, UnitList, UpdateFeatureInput, UpdateMaterialInput,
  UpdateTenantInput, UpdateUserInput, UpdateWarehouseInput, User, UserPage, Warehouse, WarehouseList,
} from './types.js';
import type {
  SupplierMaterial, SupplierMaterialList, SupplierMaterialQuery, PutSupplierMaterialInput, PurchaseOrder, PurchaseOrderLine, PurchaseOrderSummary, PurchaseOrderPage, PurchaseOrderQuery, CreatePurchaseOrderInput, UpdatePurchaseOrderInput, PurchaseOrderActionInput, SalesOrderActionInput, DocumentVersion, DocumentVersionList, PurchaseSuggestionInput, PurchaseSuggestionResult, PurchaseReceipt, PurchaseReceiptLine, PurchaseReceiptSummary, PurchaseReceiptPage, PurchaseReceiptQuery, CreatePurchaseReceiptInput, PurchaseLabel, PurchaseLabelList, IncomingInspection, InspectPurchaseReceiptInput, InspectionResult, PurchaseInbound, PurchaseInboundSummary, PurchaseInboundPage, PurchaseDocumentQuery, PurchaseReturn, PurchaseReturnSummary, PurchaseReturnPage, CreatePurchaseReturnInput, PurchasingProgressRow, PurchasingProgressPage, PurchasingProgressQuery,
} from './types.js';
import type { BackupDrill, BackupDrillPage, CreateBackupInput, StartBackupDrillInput, TenantRestore, TenantRestoreQuery } from './types.js';
import { streamEvents, streamProductionFeed, type EventStreamOptions, type EventStreamQuery, type ProductionFeedQuery } from './stream.js';
import type {
  Bom, BomExplosion, BomExplosionQuery, BomPage, BomQuery, BomSummary, BomWhereUsed, BomWhereUsedQuery, Calendar, CalendarPage, CalendarSummary, CapacityQuery,
  Kitting, MaterialPlanning, MrpFirmResult, MrpRun, MrpRunListQuery, MrpRunPage, MrpRunQuery, MrpRunSummary, ProductionSchedule, PutMaterialPlanningInput, RunMrpInput,
  ScheduleInput, AppliedProductionSchedule, ProductionProgress, ProductionProgressQuery,
  CreateBomInput, CreateCalendarInput, CreateDrawingInput, CreatePlantInput, CreateProductionLineInput, CreateProductionOrderInput, CreateRoutingInput,
  CreateStationInput, CreateWorkCentreInput, CreateWorkshopInput, Drawing, DrawingContentQuery, DrawingPage, DrawingQuery, DrawingSummary, Plant, PlantPage,
  PlantQuery, PlantSummary, ProductionLine, ProductionLinePage, ProductionLineQuery, ProductionOrder, ProductionOrderActionInput, ProductionOrderPage,
  ProductionOrderQuery, ProductionOrderSummary, Routing, RoutingPage, RoutingQuery, RoutingSummary, Station, StationPage, StationQuery, UpdateBomInput,
  UpdateCalendarInput, UpdatePlantInput, UpdateProductionLineInput, UpdateProductionOrderInput, UpdateRoutingInput, UpdateStationInput, UpdateWorkCentreInput,
  UpdateWorkshopInput, UploadDrawingQuery, WorkCentre, WorkCentreCapacity, WorkCentrePage, WorkCentreQuery, Workshop, WorkshopPage, WorkshopQuery,
  CreatePieceRateInput, IssueProductionMaterialInput, PieceRate, PieceRatePage, PieceRateQuery, PostProductionReceiptInput, ProductionExecutionListQuery,
  ProductionGenealogy, ProductionGenealogyQuery, ProductionMaterialDocument, ProductionMaterialDocumentPage, ProductionMaterialDocumentQuery,
  ProductionOperationEvent, ProductionOperationEventInput, ProductionOperationEventPage, ProductionReceipt, ProductionReceiptPage, ProductionWageReport,
  ProductionWageReportQuery, ProductionWorkReport, ProductionWorkReportInput, ProductionWorkReportPage, ReturnProductionMaterialInput,
  DispatchProductionOperationInput, ProductionDispatchChange, ProductionDispatchChangePage, ProductionDispatchList, ProductionDispatchListQuery,
} from './types.js';
import type {
  AcknowledgeAlarmInput, CreateEquipmentInput, DeviceCommand, DeviceCommandInput, Equipment, EquipmentAlarm, EquipmentAlarmPage, EquipmentAlarmQuery, EquipmentIndicators, EquipmentPage, EquipmentPeriodQuery, EquipmentQuery, EquipmentSeries, EquipmentSeriesQuery, EquipmentIntactRate, EquipmentFleetPeriodQuery, EquipmentCapacityReport, EquipmentCapacityQuery, EquipmentAlarmRoutes, EquipmentAlarmNotices, ProductionOrderEnergy, EquipmentStateHistory, EquipmentStatus, EquipmentSummary, Gateway, GatewayConfig, GatewayPage, GatewayQuery, GatewaySummary, PutGatewayConfigInput, RegisterGatewayInput, TelemetryBatchAnswer, TelemetryRecord, UpdateEquipmentInput, UpdateGatewayInput,
} from './types.js';
import type { ImportJob, ImportKind, ImportQuery, ImportTemplateQuery } from './types.js';
import type { ReplaceQualityStandardItemsInput } from './types.js';
import type { DecideDrawingRevisionRequestInput, DrawingRevisionRequest, DrawingRevisionRequestList, RequestDrawingRevisionInput } from './types.js';
import type {
  CreateQualityDefectCodeInput, CreateQualityInspectionInput, CreateQualityPlanInput, CreateQualityStandardInput, QualityDefectCode, QualityDefectCodePage,
  QualityDispositionInput, QualityInspection, QualityInspectionList, QualityInspectionPage, QualityInspectionQuery, QualityInspectionSummary, QualityPlan,
  QualityPatrolDueInput, UpdateQualityPlanInput, UpdateQualityStandardInput, QualityPlanPage, QualityPlanQuery, QualityResultsInput, QualityReviewInput, QualitySamplingPlan, QualitySamplingPlanQuery, QualityStandard, QualityStandardPage,
  QualityStandardQuery, QualitySwitchingQuery, QualitySwitchingState, PageQuery as QualityPageQuery,
  QualityControlChart, QualityControlChartQuery, QualityDefectPareto, QualityDefectParetoQuery, QualityFirstPassYield, QualityLeadTimes, QualityReportPeriod, QualitySupplierPpm,
} from './types.js';
import type { Recall, RecallQuery, Trace, TraceQuery } from './types.js';
import type { Cutover, CutoverPage, CutoverStepKey, CutoverSummary, PlanCutoverInput, RunCutoverStepInput } from './types.js';
import { SDK_VERSION } from './version.js';

export interface MesClientOptions {
  /** Where the MES API is, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** An API key (mes_…). Give this or token, not both; neither is fine for login and health. */
  apiKey?: string;
  /** A login token from auth.login(). */
  token?: string;
  /** Per attempt, response body included. Default 30 000. */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure (429, 503, lost connection). Default 2. */
  retries?: number;
  /** A fetch implementation; the global fetch by default. */
  fetch?: typeof fetch;
  userAgent?: string;
}

interface CallParams<K extends RoutedOperation> {
  path?: PathOf<K>;
  query?: QueryOf<K>;
  body?: BodyOf<K>;
}

type PagedOperation =
  | 'listTenants' | 'listUsers' | 'listApiKeys' | 'listAuditRecords' | 'listMaterials' | 'listStockDocuments' | 'listStockMovements'
  | 'listStockBalances' | 'listCodingRules' | 'listFeatures' | 'listCountSheets' | 'getStockSummary' | 'getSafetyStockReport' | 'getShortageReport'
  | 'listCustomers' | 'listSuppliers'
  | 'listSalesOrders' | 'listDeliveryPlans' | 'listSalesOutbounds' | 'listSalesReturns' | 'getSalesProgress'
  | 'listPurchaseOrders' | 'listPurchaseReceipts' | 'listPurchaseInbounds' | 'listPurchaseReturns' | 'getPurchasingProgress'
  | 'listBackupDrills'
  | 'listCalendars' | 'listPlants' | 'listWorkshops' | 'listProductionLines' | 'listWorkCentres' | 'listStations'
  | 'listRoutings' | 'listBoms' | 'listDrawings' | 'listProductionOrders' | 'listPieceRates' | 'listMrpRuns'
  | 'listEquipment' | 'listEquipmentAlarms' | 'listGateways'
  | 'listQualityDefectCodes' | 'listQualityStandards' | 'listQualityPlans' | 'listQualityInspections';
/** Operations whose success is an image or text rather than JSON. */
type BinaryOperation = 'createLabel' | 'getMaterialLabel' | 'exportStockSummary' | 'exportStockBalances' | 'getDrawingContent' | 'getImportErrorReport' | 'getImportTemplate'
  | 'exportRecallReportCsv' | 'exportRecallReportXlsx';
type ItemOf<K extends PagedOperation> = SuccessOf<K> extends { items: (infer I)[] } ? I : never;

/**
 * The MES API, one namespace per resource: `client.tenants.create({...})`. Every method is typed
 * from the server's OpenAPI document and throws MesError (or a subclass) on failure.
 */
export class MesClient {
  private readonly http: HttpCore;

  constructor(options: MesClientOptions) {
    if (options.apiKey && options.token) throw new TypeError('MesClient: pass apiKey or token, not both');
    const credential = options.apiKey ?? options.token;
    this.http = new HttpCore({
      baseUrl: normaliseBaseUrl(options.baseUrl),
      authorization: credential ? `Bearer ${credential}` : undefined,
      timeoutMs: integerAtLeast(options.timeoutMs ?? 30_000, 'timeoutMs', 1),
      retries: integerAtLeast(options.retries ?? 2, 'retries', 0),
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      userAgent: options.userAgent ?? (globalThis.process?.versions?.node ? `mes-sdk/${SDK_VERSION} node/${globalThis.process.version}` : ''),
    });
  }

  readonly auth = {
    /** Exchanges a password for a short-lived token; use it as `new MesClient({ baseUrl, token })`. */
    login: (body: LoginInput, options?: MutationOptions): Promise<Token> => this.call('login', { body }, options),
  };

  readonly me = {
    /** Who the credentials belong to and what they may do. */
    get: (options?: RequestOptions): Promise<Me> => this.call('getMe', {}, options),
  };

  readonly plans = {
    list: (options?: RequestOptions): Promise<PlanList> => this.call('listPlans', {}, options),
  };

  /** Platform admin only. */
  readonly tenants = {
    list: (query?: PageQuery, options?: RequestOptions): Promise<TenantPage> => this.call('listTenants', { query }, options),
    iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<Tenant> => this.pages('listTenants', query, options),
    /** Creates the tenant with its admin user and an API key, whose secret is only in this response. */
    create: (body: CreateTenantInput, options?: MutationOptions): Promise<CreatedTenant> => this.call('createTenant', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<Tenant> => this.call('getTenant', { path: { id } }, options),
    /** `version` is the one you read: a stale one fails with 409 instead of overwriting someone's change. */
    update: (id: string, body: UpdateTenantInput, options?: RequestOptions): Promise<Tenant> =>
      this.call('updateTenant', { path: { id }, body }, options),
  };

  readonly users = {
    list: (query?: PageQuery, options?: RequestOptions): Promise<UserPage> => this.call('listUsers', { query }, options),
    iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<User> => this.pages('listUsers', query, options),
    create: (body: CreateUserInput, options?: MutationOptions): Promise<User> => this.call('createUser', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<User> => this.call('getUser', { path: { id } }, options),
    update: (id: string, body: UpdateUserInput, options?: RequestOptions): Promise<User> => this.call('updateUser', { path: { id }, body }, options),
  };

  readonly roles = {
    list: (options?: RequestOptions): Promise<RoleList> => this.call('listRoles', {}, options),
  };

  readonly apiKeys = {
    list: (query?: PageQuery, options?: RequestOptions): Promise<ApiKeyPage> => this.call('listApiKeys', { query }, options),
    iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<ApiKey> => this.pages('listApiKeys', query, options),
    /** The secret (`key`) is in this response only. */
    create: (body: CreateApiKeyInput, options?: MutationOptions): Promise<CreatedApiKey> => this.call('createApiKey', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<ApiKey> => this.call('getApiKey', { path: { id } }, options),
    revoke: (id: string, options?: MutationOptions): Promise<ApiKey> => this.call('revokeApiKey', { path: { id } }, options),
  };

  readonly audit = {
    list: (query?: AuditQuery, options?: RequestOptions): Promise<AuditPage> => this.call('listAuditRecords', { query }, options),
    iterate: (query?: AuditQuery, options?: RequestOptions): AsyncGenerator<AuditRecord> => this.pages('listAuditRecords', query, options),
    /** Recomputes the tenant's hash chain on the server. */
    verify: (options?: RequestOptions): Promise<ChainVerdict> => this.call('verifyAuditChain', {}, options),
  };

  /** Units of measure: a unit's decimals and rounding rule govern every quantity in it. */
  readonly units = {
    list: (options?: RequestOptions): Promise<UnitList> => this.call('listUnits', {}, options),
    /** A taken code fails with 409 UNIT_CODE_TAKEN. */
    create: (body: CreateUnitInput, options?: MutationOptions): Promise<Unit> => this.call('createUnit', { body }, options),
  };

  /** Exact conversions, `1 fromUnit = factor toUnit`: global, or for one material (`materialId`). */
  readonly unitConversions = {
    list: (query?: UnitConversionQuery, options?: RequestOptions): Promise<UnitConversionList> => this.call('listUnitConversions', { query }, options),
    /** Either direction already declared fails with 409 CONVERSION_EXISTS. */
    create: (body: CreateUnitConversionInput, options?: MutationOptions): Promise<UnitConversion> => this.call('createUnitConversion', { body }, options),
  };

  /** Materials, variant templates and their variants. */
  readonly materials = {
    /** By code; `q` matches code or name, `category` and `variantOf` filter. */
    list: (query?: MaterialQuery, options?: RequestOptions): Promise<MaterialPage> => this.call('listMaterials', { query }, options),
    iterate: (query?: MaterialQuery, options?: RequestOptions): AsyncGenerator<Material> => this.pages('listMaterials', query, options),
    /** A taken code fails with 409 MATERIAL_CODE_TAKEN; with `variantFeatures` it is a template for variants. */
    create: (body: CreateMaterialInput, options?: MutationOptions): Promise<Material> => this.call('createMaterial', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<Material> => this.call('getMaterial', { path: { id } }, options),
    /** `version` is the one you read: a stale one fails with 409 VERSION_CONFLICT. */
    update: (id: string, body: UpdateMaterialInput, options?: RequestOptions): Promise<Material> =>
      this.call('updateMaterial', { path: { id }, body }, options),
    /** A variant of template `id`; its code comes from the template's coding rule over the feature values. */
    createVariant: (id: string, body: CreateVariantInput, options?: MutationOptions): Promise<Material> =>
      this.call('createMaterialVariant', { path: { id }, body }, options),
    /** Converts `quantity` from unit `from` to `to` (default: the material's base unit), with the target unit's rounding. */
    convert: (id: string, query: ConvertQuery, options?: RequestOptions): Promise<ConversionResult> =>
      this.call('convertMaterialQuantity', { path: { id }, query }, options),
    /** Per warehouse (`warehouseId`) or tenant-wide; replaces the level set before. */
    setSafetyStock: (id: string, body: SetSafetyStockInput, options?: RequestOptions): Promise<SafetyStock> =>
      this.call('setSafetyStock', { path: { id }, body }, options),
    /** Its batches, oldest first, with production date, expiry, supplier lot and stock on hand. */
    batches: (id: string, options?: RequestOptions): Promise<BatchList> => this.call('listMaterialBatches', { path: { id } }, options),
  };

  /** Warehouses (normal, quarantine, WIP) and their bins. */
  readonly warehouses = {
    list: (options?: RequestOptions): Promise<WarehouseList> => this.call('listWarehouses', {}, options),
    /** A taken code fails with 409 WAREHOUSE_CODE_TAKEN. */
    create: (body: CreateWarehouseInput, options?: MutationOptions): Promise<Warehouse> => this.call('createWarehouse', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<Warehouse> => this.call('getWarehouse', { path: { id } }, options),
    update: (id: string, body: UpdateWarehouseInput, options?: RequestOptions): Promise<Warehouse> =>
      this.call('updateWarehouse', { path: { id }, body }, options),
    listBins: (id: string, options?: RequestOptions): Promise<BinList> => this.call('listBins', { path: { id } }, options),
    /** A code taken in this warehouse fails with 409 BIN_CODE_TAKEN. */
    createBin: (id: string, body: CreateBinInput, options?: MutationOptions): Promise<Bin> => this.call('createBin', { path: { id }, body }, options),
  };

  /** Customers (S1-5.4.1-a): a unified social credit code is checked by its check character. */
  readonly customers = this.partnerNamespace({ list: 'listCustomers', create: 'createCustomer', get: 'getCustomer', update: 'updateCustomer' });
  /** Suppliers (S1-5.4.2-a), the same shape as customers. */
  readonly suppliers = this.partnerNamespace({ list: 'listSuppliers', create: 'createSupplier', get: 'getSupplier', update: 'updateSupplier' });
  /** The sales organisation: groups and salespersons. */
  readonly salesOrganisation = this.orgNamespace({ listGroups: 'listSalesGroups', createGroup: 'createSalesGroup', listPeople: 'listSalespersons', createPerson: 'createSalesperson' });
  /** The purchasing organisation: groups and buyers. */
  readonly purchasingOrganisation = this.orgNamespace({
    listGroups: 'listPurchasingGroups', createGroup: 'createPurchasingGroup', listPeople: 'listBuyers', createPerson: 'createBuyer',
  });

  /** Other in/out, transfers and backflush transfers: drafts, posted to the ledger, reversed by a compensating document. */
  readonly stockDocuments = {
    /** A draft, or posted at once with `post: true` (needs inventory:post). Every bad line is reported at once; nothing is saved then. */
    create: (body: CreateStockDocumentInput, options?: MutationOptions): Promise<StockDocument> => this.call('createStockDocument', { body }, options),
    /** Newest first, without lines. */
    list: (query?: StockDocumentQuery, options?: RequestOptions): Promise<StockDocumentPage> => this.call('listStockDocuments', { query }, options),
    iterate: (query?: StockDocumentQuery, options?: RequestOptions): AsyncGenerator<StockDocumentSummary> => this.pages('listStockDocuments', query, options),
    get: (id: string, options?: RequestOptions): Promise<StockDocument> => this.call('getStockDocument', { path: { id } }, options),
    /** Posting a posted document changes nothing and returns it. */
    post: (id: string, options?: MutationOptions): Promise<StockDocument> => this.call('postStockDocument', { path: { id } }, options),
    /** Returns the compensating document. */
    reverse: (id: string, body: ReverseStockDocumentInput = {}, options?: MutationOptions): Promise<StockDocument> =>
      this.call('reverseStockDocument', { path: { id }, body }, options),
  };

  /** Stock as the ledger has it: balances, movements, FIFO pick suggestions. */
  readonly stock = {
    /** Per material, warehouse, bin, batch and serial, in base units; zero balances only with `includeZero`. */
    balances: (query?: BalanceQuery, options?: RequestOptions): Promise<BalancePage> => this.call('listStockBalances', { query }, options),
    iterateBalances: (query?: BalanceQuery, options?: RequestOptions): AsyncGenerator<Balance> => this.pages('listStockBalances', query, options),
    /** The ledger in posting order; quantities signed, in base units. */
    movements: (query?: MovementQuery, options?: RequestOptions): Promise<MovementPage> => this.call('listStockMovements', { query }, options),
    iterateMovements: (query?: MovementQuery, options?: RequestOptions): AsyncGenerator<Movement> => this.pages('listStockMovements', query, options),
    /** Which batches and bins to pick for a quantity, earliest expiry (else earliest receipt) first. */
    fifo: (query: FifoQuery, options?: RequestOptions): Promise<FifoSuggestion> => this.call('suggestFifoPicks', { query }, options),
  };

  /** Coding rules: patterns that number batches, serials, documents and variants. */
  readonly codingRules = {
    list: (query?: PageQuery, options?: RequestOptions): Promise<CodingRuleList> => this.call('listCodingRules', { query }, options),
    iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<CodingRule> => this.pages('listCodingRules', query, options),
    get: (code: string, options?: RequestOptions): Promise<CodingRule> => this.call('getCodingRule', { path: { code } }, options),
    /** Creates or replaces the rule; numbers already taken stay taken. */
    put: (code: string, body: PutCodingRuleInput, options?: RequestOptions): Promise<CodingRule> => this.call('putCodingRule', { path: { code }, body }, options),
    /** Takes the next code (consumes a number). */
    next: (code: string, body: CodeContextInput = {}, options?: MutationOptions): Promise<CodePreview> =>
      this.call('nextCode', { path: { code }, body }, options),
    /** The code the next take would give, without consuming it. */
    preview: (code: string, body: CodeContextInput = {}, options?: MutationOptions): Promise<CodePreview> =>
      this.call('previewCode', { path: { code }, body }, options),
  };

  /** Variant features (COLOR, SIZE…) and their values. */
  readonly features = {
    list: (query?: PageQuery, options?: RequestOptions): Promise<FeatureList> => this.call('listFeatures', { query }, options),
    iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<Feature> => this.pages('listFeatures', query, options),
    /** A taken code fails with 409 FEATURE_CODE_TAKEN. */
    create: (body: CreateFeatureInput, options?: MutationOptions): Promise<Feature> => this.call('createFeature', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<Feature> => this.call('getFeature', { path: { id } }, options),
    /** `values` replaces the list; a value variants carry cannot be removed. */
    update: (id: string, body: UpdateFeatureInput, options?: RequestOptions): Promise<Feature> => this.call('updateFeature', { path: { id }, body }, options),
  };

  /** GS1-128 barcodes: what a scan names, and labels to print. */
  readonly barcodes = {
    /** What a scanned or typed code identifies (material, batch, serial, location, document), with ids. */
    resolve: (body: ResolveBarcodeInput, options?: RequestOptions): Promise<ResolvedBarcode> => this.call('resolveBarcode', { body }, options),
    /** A label image: `bytes` is SVG text (UTF-8) or PNG, as `contentType` says. */
    label: (body: CreateLabelInput, options?: RequestOptions): Promise<BinaryBody> => this.binary('createLabel', { body }, options),
    /** A label carrying a material's code alone; SVG unless `format: 'png'`. */
    materialLabel: (id: string, query?: MaterialLabelQuery, options?: RequestOptions): Promise<BinaryBody> =>
      this.binary('getMaterialLabel', { path: { id }, query }, options),
  };

  /** Stock counting: sheets snapshot the book, counters add entries, the variances are posted. */
  readonly countSheets = {
    /** Opens a sheet for a warehouse (optionally some bins, materials or a category), snapshotting the book. */
    create: (body: CreateCountSheetInput, options?: MutationOptions): Promise<CountSheet> => this.call('createCountSheet', { body }, options),
    /** Newest first, without lines. */
    list: (query?: CountSheetListQuery, options?: RequestOptions): Promise<CountSheetPage> => this.call('listCountSheets', { query }, options),
    iterate: (query?: CountSheetListQuery, options?: RequestOptions): AsyncGenerator<CountSheetSummary> => this.pages('listCountSheets', query, options),
    /** The variance review: every line with book, counted and variance (book hidden on a blind sheet without inventory:post). */
    get: (id: string, query?: CountSheetQuery, options?: RequestOptions): Promise<CountSheet> => this.call('getCountSheet', { path: { id }, query }, options),
    /**
     * Records counts; entries add up per line and found stock adds a line. Pass your own
     * idempotencyKey to make a re-sent upload (after a crash) count once.
     */
    addEntries: (id: string, body: CountEntriesInput, options?: MutationOptions): Promise<CountEntriesResult> =>
      this.call('addCountEntries', { path: { id }, body }, options),
    /** Posts counted − book per counted line; `uncountedAsZero` writes off lines nobody counted. Posting twice changes nothing. */
    post: (id: string, body: PostCountSheetInput = {}, options?: MutationOptions): Promise<CountSheet> =>
      this.call('postCountSheet', { path: { id }, body }, options),
    /** Cancels an open sheet without touching stock. */
    cancel: (id: string, options?: MutationOptions): Promise<CountSheet> => this.call('cancelCountSheet', { path: { id } }, options),
  };

  /** Inventory reports; the CSV exports are audited and need inventory:export. */
  readonly reports = {
    /** Opening, receipts, issues and closing per material over [from, to). */
    stockSummary: (query: StockSummaryQuery, options?: RequestOptions): Promise<StockSummaryPage> => this.call('getStockSummary', { query }, options),
    iterateStockSummary: (query: StockSummaryQuery, options?: RequestOptions): AsyncGenerator<StockSummaryRow> => this.pages('getStockSummary', query, options),
    /** The stock summary as CSV text (every row; the byte-order mark dropped). */
    exportStockSummary: (query: StockSummaryExportQuery, options?: RequestOptions): Promise<string> =>
      this.binary('exportStockSummary', { query }, options).then(csvText),
    /** Every material with a safety stock level: on hand, level, shortfall. */
    safetyStock: (query?: SafetyStockReportQuery, options?: RequestOptions): Promise<SafetyStockPage> => this.call('getSafetyStockReport', { query }, options),
    iterateSafetyStock: (query?: SafetyStockReportQuery, options?: RequestOptions): AsyncGenerator<SafetyStockRow> => this.pages('getSafetyStockReport', query, options),
    /** Only those below their level. */
    shortages: (query?: SafetyStockReportQuery, options?: RequestOptions): Promise<SafetyStockPage> => this.call('getShortageReport', { query }, options),
    iterateShortages: (query?: SafetyStockReportQuery, options?: RequestOptions): AsyncGenerator<SafetyStockRow> => this.pages('getShortageReport', query, options),
    /** Real-time stock as CSV text, with the filters of stock.balances(). */
    exportBalances: (query?: BalanceExportQuery, options?: RequestOptions): Promise<string> =>
      this.binary('exportStockBalances', { query }, options).then(csvText),
  };

  /**
   * Traceability (S1-5.4.5-d): the genealogy graph of a batch or serial (backward to component
   * batches and suppliers, forward to every batch made from it and every customer), and the
   * recall report of a suspect batch. Needs quality:read.
   */
  readonly trace = {
    /** 404 BATCH_NOT_FOUND; 422 TRACE_MATERIAL_AMBIGUOUS (name materialCode), TRACE_DIRECTION_INVALID, TRACE_DEPTH_OUT_OF_RANGE (1 to 20). */
    batch: (batchNo: string, query?: TraceQuery, options?: RequestOptions): Promise<Trace> => this.call('traceBatch', { path: { batchNo }, query }, options),
    serial: (serialNo: string, query?: TraceQuery, options?: RequestOptions): Promise<Trace> => this.call('traceSerial', { path: { serialNo }, query }, options),
    /** Every batch and serial made from the suspect batch: in stock per warehouse and bin, shipped per customer and delivery; audited. */
    recall: (query: RecallQuery, options?: RequestOptions): Promise<Recall> => this.call('getRecallReport', { query }, options),
    /** The recall report as CSV text; audited. */
    recallCsv: (query: RecallQuery, options?: RequestOptions): Promise<string> => this.binary('exportRecallReportCsv', { query }, options).then(csvText),
    /** The recall report as an XLSX workbook; audited. */
    recallXlsx: (query: RecallQuery, options?: RequestOptions): Promise<BinaryBody> => this.binary('exportRecallReportXlsx', { query }, options),
  };

  /** The tenant's business rules, such as forbidding approval of one's own orders. */
  readonly settings = {
    get: (options?: RequestOptions): Promise<TenantSettings> => this.call('getTenantSettings', {}, options),
    /** Pass the version you read: a stale one fails with 409 VERSION_CONFLICT. */
    update: (body: UpdateTenantSettingsInput, options?: RequestOptions): Promise<TenantSettings> => this.call('updateTenantSettings', { body }, options),
  };

  /** Business events in commit order, from the transactional outbox. */
  readonly events = {
    /** Events after `after` (a seq); keep the answer's lastSeq and pass it next time. */
    list: (query?: EventQuery, options?: RequestOptions): Promise<OutboxEventPage> => this.call('listEvents', { query }, options),
    /**
     * Events as they commit (Server-Sent Events over fetch, in Node and browsers): reconnects after
     * a lost connection or a server restart and resumes after the last event it yielded, so none is
     * missed or repeated. Ends when `signal` aborts; throws the MesError of a refusal (401
     * AUTH_EXPIRED when a login token expires, 403 without events:read).
     */
    stream: (query?: EventStreamQuery, options?: EventStreamOptions): AsyncGenerator<OutboxEvent> => streamEvents(this.http, query, options),
  };

  /** Sales (S1-5.4.1-b..g): orders, delivery plans, outbounds, returns and the progress report. */
  readonly sales = {
    orders: {
      /** Newest first, without lines; `status: 'open'` is approved or in delivery. */
      list: (query?: SalesOrderQuery, options?: RequestOptions): Promise<SalesOrderPage> => this.call('listSalesOrders', { query }, options),
      iterate: (query?: SalesOrderQuery, options?: RequestOptions): AsyncGenerator<SalesOrderSummary> => this.pages('listSalesOrders', query, options),
      /** A draft; every bad line is reported at once (422 SALES_ORDER_INVALID). */
      create: (body: CreateSalesOrderInput, options?: MutationOptions): Promise<SalesOrder> => this.call('createSalesOrder', { body }, options),
      /** With planned, shipped, returned and open per line, in base units. */
      get: (id: string, options?: RequestOptions): Promise<SalesOrder> => this.call('getSalesOrder', { path: { id } }, options),
      /** Pass the version you read (409 VERSION_CONFLICT). After approval each change is a new version; an increase sends it back to draft. */
      update: (id: string, body: UpdateSalesOrderInput, options?: RequestOptions): Promise<SalesOrder> => this.call('updateSalesOrder', { path: { id }, body }, options),
      versions: (id: string, options?: RequestOptions): Promise<DocumentVersionList> => this.call('listSalesOrderVersions', { path: { id } }, options),
      /** Approves the version you reviewed (409 VERSION_CONFLICT if it changed since). Needs sales:approve; 403 SELF_APPROVAL_FORBIDDEN where the tenant forbids approving one's own order. */
      approve: (id: string, version: number, options?: MutationOptions): Promise<SalesOrder> => this.call('approveSalesOrder', { path: { id }, body: { version } }, options),
      /** Pass the version you read (409 VERSION_CONFLICT). */
      cancel: (id: string, body: SalesOrderActionInput, options?: MutationOptions): Promise<SalesOrder> => this.call('cancelSalesOrder', { path: { id }, body }, options),
      /** Closes an approved or in-delivery order; what is not shipped is cancelled. Pass the version you read. */
      close: (id: string, body: SalesOrderActionInput, options?: MutationOptions): Promise<SalesOrder> => this.call('closeSalesOrder', { path: { id }, body }, options),
    },
    deliveryPlans: {
      list: (query?: DeliveryPlanQuery, options?: RequestOptions): Promise<DeliveryPlanPage> => this.call('listDeliveryPlans', { query }, options),
      iterate: (query?: DeliveryPlanQuery, options?: RequestOptions): AsyncGenerator<DeliveryPlanSummary> => this.pages('listDeliveryPlans', query, options),
      /** Lines of one customer's approved orders; 422 OVER_TOLERANCE beyond the customer's over-delivery tolerance. */
      create: (body: CreateDeliveryPlanInput, options?: MutationOptions): Promise<DeliveryPlan> => this.call('createDeliveryPlan', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<DeliveryPlan> => this.call('getDeliveryPlan', { path: { id } }, options),
      update: (id: string, body: UpdateDeliveryPlanInput, options?: RequestOptions): Promise<DeliveryPlan> => this.call('updateDeliveryPlan', { path: { id }, body }, options),
      cancel: (id: string, options?: MutationOptions): Promise<DeliveryPlan> => this.call('cancelDeliveryPlan', { path: { id }, body: {} }, options),
    },
    outbounds: {
      list: (query?: SalesOutboundQuery, options?: RequestOptions): Promise<SalesOutboundPage> => this.call('listSalesOutbounds', { query }, options),
      iterate: (query?: SalesOutboundQuery, options?: RequestOptions): AsyncGenerator<SalesOutboundSummary> => this.pages('listSalesOutbounds', query, options),
      /** Without `lines`, the FIFO suggestion for the plan's open quantity; `lines: []` for an empty draft to scan into. */
      create: (body: CreateSalesOutboundInput, options?: MutationOptions): Promise<SalesOutbound> => this.call('createSalesOutbound', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<SalesOutbound> => this.call('getSalesOutbound', { path: { id } }, options),
      /** PDA scans; a retry reuses the call's Idempotency-Key, so a resent scan counts once. */
      scan: (id: string, body: ScanSalesOutboundInput, options?: MutationOptions): Promise<SalesOutbound> => this.call('scanSalesOutbound', { path: { id }, body }, options),
      /** Posts sales_out movements; posting a posted outbound changes nothing. */
      post: (id: string, options?: MutationOptions): Promise<SalesOutbound> => this.call('postSalesOutbound', { path: { id } }, options),
    },
    returns: {
      list: (query?: SalesReturnQuery, options?: RequestOptions): Promise<SalesReturnPage> => this.call('listSalesReturns', { query }, options),
      iterate: (query?: SalesReturnQuery, options?: RequestOptions): AsyncGenerator<SalesReturnSummary> => this.pages('listSalesReturns', query, options),
      /** Posted at once; with a source outbound never more than shipped (422 RETURN_EXCEEDS_SHIPPED). */
      create: (body: CreateSalesReturnInput, options?: MutationOptions): Promise<SalesReturn> => this.call('createSalesReturn', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<SalesReturn> => this.call('getSalesReturn', { path: { id } }, options),
    },
    /** Ordered, planned, shipped, returned and open in base units, by customer and material or by material. */
    progress: (query?: SalesProgressQuery, options?: RequestOptions): Promise<SalesProgressPage> => this.call('getSalesProgress', { query }, options),
    iterateProgress: (query?: SalesProgressQuery, options?: RequestOptions): AsyncGenerator<SalesProgressRow> => this.pages('getSalesProgress', query, options),
  };

  /**
   * Purchasing (S1-5.4.2): orders with approval and version history, suggestions, receiving, the
   * incoming inspection gate, inbounds, returns and progress. Received goods are not stock until
   * an inspection accepts them.
   */
  readonly purchasing = {
    /** Which supplier sells which material; `preferred` is the one suggestions order from. */
    supplierMaterials: {
      list: (query?: SupplierMaterialQuery, options?: RequestOptions): Promise<SupplierMaterialList> => this.call('listSupplierMaterials', { query }, options),
      /** Creates or changes the supplier's terms for a material; fields left out keep their value. */
      put: (body: PutSupplierMaterialInput, options?: MutationOptions): Promise<SupplierMaterial> => this.call('putSupplierMaterial', { body }, options),
    },
    orders: {
      /** A draft; quantities in the purchase unit (default) are converted exactly to the base unit. */
      create: (body: CreatePurchaseOrderInput, options?: MutationOptions): Promise<PurchaseOrder> => this.call('createPurchaseOrder', { body }, options),
      /** Newest first; `status: 'open'` is approved or receiving. */
      list: (query?: PurchaseOrderQuery, options?: RequestOptions): Promise<PurchaseOrderPage> => this.call('listPurchaseOrders', { query }, options),
      iterate: (query?: PurchaseOrderQuery, options?: RequestOptions): AsyncGenerator<PurchaseOrderSummary> => this.pages('listPurchaseOrders', query, options),
      get: (id: string, options?: RequestOptions): Promise<PurchaseOrder> => this.call('getPurchaseOrder', { path: { id } }, options),
      /** `version` is the one you read (409 VERSION_CONFLICT otherwise); after approval `reason` is required and a new version is recorded. */
      update: (id: string, body: UpdatePurchaseOrderInput, options?: RequestOptions): Promise<PurchaseOrder> => this.call('updatePurchaseOrder', { path: { id }, body }, options),
      versions: (id: string, options?: RequestOptions): Promise<DocumentVersionList> => this.call('listPurchaseOrderVersions', { path: { id } }, options),
      /** Needs purchasing:approve; 403 SELF_APPROVAL_FORBIDDEN when the tenant forbids approving your own order. */
      approve: (id: string, version: number, options?: MutationOptions): Promise<PurchaseOrder> => this.call('approvePurchaseOrder', { path: { id }, body: { version } }, options),
      cancel: (id: string, body: PurchaseOrderActionInput, options?: MutationOptions): Promise<PurchaseOrder> => this.call('cancelPurchaseOrder', { path: { id }, body }, options),
      close: (id: string, body: PurchaseOrderActionInput, options?: MutationOptions): Promise<PurchaseOrder> => this.call('closePurchaseOrder', { path: { id }, body }, options),
    },
    /** Draft orders for materials below safety stock, per preferred supplier; `dryRun` only computes. */
    suggest: (body: PurchaseSuggestionInput = {}, options?: MutationOptions): Promise<PurchaseSuggestionResult> => this.call('createPurchaseSuggestions', { body }, options),
    receipts: {
      /** No lines: the full open quantity of every line. 409 ORDER_NOT_APPROVED, 422 OVER_TOLERANCE. Pass an idempotencyKey from a PDA. */
      create: (body: CreatePurchaseReceiptInput, options?: MutationOptions): Promise<PurchaseReceipt> => this.call('createPurchaseReceipt', { body }, options),
      /** `pendingInspection: true` is the inspector's worklist. */
      list: (query?: PurchaseReceiptQuery, options?: RequestOptions): Promise<PurchaseReceiptPage> => this.call('listPurchaseReceipts', { query }, options),
      iterate: (query?: PurchaseReceiptQuery, options?: RequestOptions): AsyncGenerator<PurchaseReceiptSummary> => this.pages('listPurchaseReceipts', query, options),
      get: (id: string, options?: RequestOptions): Promise<PurchaseReceipt> => this.call('getPurchaseReceipt', { path: { id } }, options),
      /** GS1 label data per line; `barcodes.label({ fields })` draws one. */
      labels: (id: string, options?: RequestOptions): Promise<PurchaseLabelList> => this.call('listPurchaseReceiptLabels', { path: { id } }, options),
      /** Needs quality:inspect. Accepted goes into stock (purchase inbound), rejected back to the supplier (return), in one transaction. */
      inspect: (id: string, body: InspectPurchaseReceiptInput, options?: MutationOptions): Promise<InspectionResult> => this.call('inspectPurchaseReceipt', { path: { id }, body }, options),
    },
    inbounds: {
      list: (query?: PurchaseDocumentQuery, options?: RequestOptions): Promise<PurchaseInboundPage> => this.call('listPurchaseInbounds', { query }, options),
      iterate: (query?: PurchaseDocumentQuery, options?: RequestOptions): AsyncGenerator<PurchaseInboundSummary> => this.pages('listPurchaseInbounds', query, options),
      get: (id: string, options?: RequestOptions): Promise<PurchaseInbound> => this.call('getPurchaseInbound', { path: { id } }, options),
    },
    returns: {
      /** With inboundId (never more than came in: 422 RETURN_EXCEEDS_RECEIVED) or without source (supplierId); 409 STOCK_INSUFFICIENT posts nothing. */
      create: (body: CreatePurchaseReturnInput, options?: MutationOptions): Promise<PurchaseReturn> => this.call('createPurchaseReturn', { body }, options),
      list: (query?: PurchaseDocumentQuery, options?: RequestOptions): Promise<PurchaseReturnPage> => this.call('listPurchaseReturns', { query }, options),
      iterate: (query?: PurchaseDocumentQuery, options?: RequestOptions): AsyncGenerator<PurchaseReturnSummary> => this.pages('listPurchaseReturns', query, options),
      get: (id: string, options?: RequestOptions): Promise<PurchaseReturn> => this.call('getPurchaseReturn', { path: { id } }, options),
    },
    /** Ordered, received, inspected, in, rejected, returned, pending and open per supplier or material. */
    progress: (query?: PurchasingProgressQuery, options?: RequestOptions): Promise<PurchasingProgressPage> => this.call('getPurchasingProgress', { query }, options),
    iterateProgress: (query?: PurchasingProgressQuery, options?: RequestOptions): AsyncGenerator<PurchasingProgressRow> => this.pages('getPurchasingProgress', query, options),
  };

  /**
   * Backups (platform admin, docs/backup.md). `mes backup` turns the streams into signed,
   * optionally encrypted backups on disk and verifies them by restoring.
   */
  readonly backups = {
    /** A backup of the instance or one tenant as a backup stream (application/vnd.mes.backup-stream), read as it arrives. */
    create: (body: CreateBackupInput = {}, options?: MutationOptions): Promise<StreamBody> => {
      const [method, path] = routeOf('createBackup', undefined);
      return this.http.request({ method, path, body, options, responseType: 'stream', retries: 0 });
    },
    /** Restores one tenant from a backup stream (the tenant-narrowed manifest first, then its tables); 409 TENANT_EXISTS if this instance has it. */
    restoreTenant: (stream: AsyncIterable<Uint8Array>, query: TenantRestoreQuery = {}, options?: MutationOptions): Promise<TenantRestore> => {
      const [method, path] = routeOf('restoreTenant', undefined);
      return this.http.request({ method, path, query, options, upload: { contentType: 'application/vnd.mes.backup-stream', stream } });
    },
    /** Starts a drill (backup, restore into scratch, checks, server start); poll getDrill until it is no longer running. */
    startDrill: (body: StartBackupDrillInput = {}, options?: MutationOptions): Promise<BackupDrill> => this.call('startBackupDrill', { body }, options),
    getDrill: (id: string, options?: RequestOptions): Promise<BackupDrill> => this.call('getBackupDrill', { path: { id } }, options),
    listDrills: (query?: PageQuery, options?: RequestOptions): Promise<BackupDrillPage> => this.call('listBackupDrills', { query }, options),
    iterateDrills: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<BackupDrill> => this.pages('listBackupDrills', query, options),
  };

  /**
   * The plant model (plant → workshop → line → work centre → station) and working calendars; a
   * work centre's capacity per day comes from its calendar, parallel count and efficiency.
   */
  readonly plant = {
    /** Shifts per weekday and exceptions by date (holidays, make-up days). */
    calendars: {
      list: (query?: PageQuery, options?: RequestOptions): Promise<CalendarPage> => this.call('listCalendars', { query }, options),
      iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<CalendarSummary> => this.pages('listCalendars', query, options),
      create: (body: CreateCalendarInput, options?: MutationOptions): Promise<Calendar> => this.call('createCalendar', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<Calendar> => this.call('getCalendar', { path: { id } }, options),
      /** `shifts` or `exceptions` replace the old list whole; `version` is the one you read. */
      update: (id: string, body: UpdateCalendarInput, options?: RequestOptions): Promise<Calendar> => this.call('updateCalendar', { path: { id }, body }, options),
    },
    plants: {
      list: (query?: PlantQuery, options?: RequestOptions): Promise<PlantPage> => this.call('listPlants', { query }, options),
      iterate: (query?: PlantQuery, options?: RequestOptions): AsyncGenerator<PlantSummary> => this.pages('listPlants', query, options),
      create: (body: CreatePlantInput, options?: MutationOptions): Promise<PlantSummary> => this.call('createPlant', { body }, options),
      /** The plant with its whole model below it. */
      get: (id: string, options?: RequestOptions): Promise<Plant> => this.call('getPlant', { path: { id } }, options),
      update: (id: string, body: UpdatePlantInput, options?: RequestOptions): Promise<PlantSummary> => this.call('updatePlant', { path: { id }, body }, options),
    },
    workshops: {
      list: (query?: WorkshopQuery, options?: RequestOptions): Promise<WorkshopPage> => this.call('listWorkshops', { query }, options),
      iterate: (query?: WorkshopQuery, options?: RequestOptions): AsyncGenerator<Workshop> => this.pages('listWorkshops', query, options),
      create: (body: CreateWorkshopInput, options?: MutationOptions): Promise<Workshop> => this.call('createWorkshop', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<Workshop> => this.call('getWorkshop', { path: { id } }, options),
      update: (id: string, body: UpdateWorkshopInput, options?: RequestOptions): Promise<Workshop> => this.call('updateWorkshop', { path: { id }, body }, options),
    },
    lines: {
      list: (query?: ProductionLineQuery, options?: RequestOptions): Promise<ProductionLinePage> => this.call('listProductionLines', { query }, options),
      iterate: (query?: ProductionLineQuery, options?: RequestOptions): AsyncGenerator<ProductionLine> => this.pages('listProductionLines', query, options),
      create: (body: CreateProductionLineInput, options?: MutationOptions): Promise<ProductionLine> => this.call('createProductionLine', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<ProductionLine> => this.call('getProductionLine', { path: { id } }, options),
      update: (id: string, body: UpdateProductionLineInput, options?: RequestOptions): Promise<ProductionLine> => this.call('updateProductionLine', { path: { id }, body }, options),
    },
    workCentres: {
      list: (query?: WorkCentreQuery, options?: RequestOptions): Promise<WorkCentrePage> => this.call('listWorkCentres', { query }, options),
      iterate: (query?: WorkCentreQuery, options?: RequestOptions): AsyncGenerator<WorkCentre> => this.pages('listWorkCentres', query, options),
      create: (body: CreateWorkCentreInput, options?: MutationOptions): Promise<WorkCentre> => this.call('createWorkCentre', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<WorkCentre> => this.call('getWorkCentre', { path: { id } }, options),
      update: (id: string, body: UpdateWorkCentreInput, options?: RequestOptions): Promise<WorkCentre> => this.call('updateWorkCentre', { path: { id }, body }, options),
      /** Per day over [from, to]: shifts worked, minutes and hours of capacity (at most 366 days). */
      capacity: (id: string, query: CapacityQuery, options?: RequestOptions): Promise<WorkCentreCapacity> => this.call('getWorkCentreCapacity', { path: { id }, query }, options),
    },
    stations: {
      list: (query?: StationQuery, options?: RequestOptions): Promise<StationPage> => this.call('listStations', { query }, options),
      iterate: (query?: StationQuery, options?: RequestOptions): AsyncGenerator<Station> => this.pages('listStations', query, options),
      create: (body: CreateStationInput, options?: MutationOptions): Promise<Station> => this.call('createStation', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<Station> => this.call('getStation', { path: { id } }, options),
      update: (id: string, body: UpdateStationInput, options?: RequestOptions): Promise<Station> => this.call('updateStation', { path: { id }, body }, options),
    },
  };

  /**
   * Production (S1-5.4.4): routings, BOMs (explosion, where-used), process drawings and production
   * orders. Engineering revisions are drafts until released (production:approve), then immutable.
   */
  readonly production = {
    routings: {
      /** Revisions, newest first; `code` narrows to one routing. */
      list: (query?: RoutingQuery, options?: RequestOptions): Promise<RoutingPage> => this.call('listRoutings', { query }, options),
      iterate: (query?: RoutingQuery, options?: RequestOptions): AsyncGenerator<RoutingSummary> => this.pages('listRoutings', query, options),
      /** A new routing, or a new draft revision of the routing with that code (409 DRAFT_EXISTS while one is open). */
      create: (body: CreateRoutingInput, options?: MutationOptions): Promise<Routing> => this.call('createRouting', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<Routing> => this.call('getRouting', { path: { id } }, options),
      /** Drafts only: 409 RELEASED_IMMUTABLE otherwise. */
      update: (id: string, body: UpdateRoutingInput, options?: RequestOptions): Promise<Routing> => this.call('updateRouting', { path: { id }, body }, options),
      release: (id: string, version: number, options?: MutationOptions): Promise<Routing> => this.call('releaseRouting', { path: { id }, body: { version } }, options),
    },
    boms: {
      list: (query?: BomQuery, options?: RequestOptions): Promise<BomPage> => this.call('listBoms', { query }, options),
      iterate: (query?: BomQuery, options?: RequestOptions): AsyncGenerator<BomSummary> => this.pages('listBoms', query, options),
      /** A draft revision of a product's BOM of a type; 422 BOM_CYCLE names the path a cycle would take. */
      create: (body: CreateBomInput, options?: MutationOptions): Promise<Bom> => this.call('createBom', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<Bom> => this.call('getBom', { path: { id } }, options),
      update: (id: string, body: UpdateBomInput, options?: RequestOptions): Promise<Bom> => this.call('updateBom', { path: { id }, body }, options),
      release: (id: string, version: number, options?: MutationOptions): Promise<Bom> => this.call('releaseBom', { path: { id }, body: { version } }, options),
      /** Every level below a product as of a date, phantoms blown through, exact quantities. */
      explode: (materialId: string, query?: BomExplosionQuery, options?: RequestOptions): Promise<BomExplosion> => this.call('explodeBom', { path: { id: materialId }, query }, options),
      /** Every product that uses a material, at every level up. */
      whereUsed: (materialId: string, query?: BomWhereUsedQuery, options?: RequestOptions): Promise<BomWhereUsed> => this.call('getBomWhereUsed', { path: { id: materialId }, query }, options),
    },
    drawings: {
      list: (query?: DrawingQuery, options?: RequestOptions): Promise<DrawingPage> => this.call('listDrawings', { query }, options),
      iterate: (query?: DrawingQuery, options?: RequestOptions): AsyncGenerator<DrawingSummary> => this.pages('listDrawings', query, options),
      create: (body: CreateDrawingInput, options?: MutationOptions): Promise<Drawing> => this.call('createDrawing', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<Drawing> => this.call('getDrawing', { path: { id } }, options),
      /** Revision requests of a drawing from inspection defects (made by quality.inspections.requestDrawingRevision), oldest first. */
      revisionRequests: (id: string, options?: RequestOptions): Promise<DrawingRevisionRequestList> => this.call('listDrawingRevisionRequests', { path: { id } }, options),
      getRevisionRequest: (requestId: string, options?: RequestOptions): Promise<DrawingRevisionRequest> => this.call('getDrawingRevisionRequest', { path: { id: requestId } }, options),
      /** Accept, reject (note required) or close as done (a newer revision uploaded), with the version read. */
      decideRevisionRequest: (requestId: string, body: DecideDrawingRevisionRequestInput, options?: MutationOptions): Promise<DrawingRevisionRequest> =>
        this.call('decideDrawingRevisionRequest', { path: { id: requestId }, body }, options),
      /**
       * Uploads a file as the drawing's next revision. The server takes its type from the bytes
       * (PDF, PNG, JPEG, SVG, DXF, DWG); a `contentType` the bytes contradict is 422 DRAWING_TYPE_MISMATCH.
       */
      upload: (id: string, bytes: Uint8Array, query: UploadDrawingQuery = {}, options?: MutationOptions): Promise<Drawing> => {
        const { contentType, ...rest } = query;
        const [method, path] = routeOf('uploadDrawingRevision', { id });
        return this.http.request({ method, path, query: rest, body: bytes, contentType: contentType ?? 'application/octet-stream', options });
      },
      /** A revision's bytes (default the current one) and their content type; the server audits it. */
      content: (id: string, query?: DrawingContentQuery, options?: RequestOptions): Promise<BinaryBody> => this.binary('getDrawingContent', { path: { id }, query }, options),
    },
    orders: {
      /** Newest first; `status: 'open'` is planned, released or in progress. */
      list: (query?: ProductionOrderQuery, options?: RequestOptions): Promise<ProductionOrderPage> => this.call('listProductionOrders', { query }, options),
      iterate: (query?: ProductionOrderQuery, options?: RequestOptions): AsyncGenerator<ProductionOrderSummary> => this.pages('listProductionOrders', query, options),
      create: (body: CreateProductionOrderInput, options?: MutationOptions): Promise<ProductionOrder> => this.call('createProductionOrder', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<ProductionOrder> => this.call('getProductionOrder', { path: { id } }, options),
      update: (id: string, body: UpdateProductionOrderInput, options?: RequestOptions): Promise<ProductionOrder> => this.call('updateProductionOrder', { path: { id }, body }, options),
      /** Needs production:approve; 403 SELF_APPROVAL_FORBIDDEN where the tenant forbids approving your own order. */
      approve: (id: string, version: number, options?: MutationOptions): Promise<ProductionOrder> => this.call('approveProductionOrder', { path: { id }, body: { version } }, options),
      /** Gives the order its own operations and component requirements; 422 ORDER_NOT_RELEASABLE says why not. */
      release: (id: string, version: number, options?: MutationOptions): Promise<ProductionOrder> => this.call('releaseProductionOrder', { path: { id }, body: { version } }, options),
      cancel: (id: string, body: ProductionOrderActionInput, options?: MutationOptions): Promise<ProductionOrder> => this.call('cancelProductionOrder', { path: { id }, body }, options),
      complete: (id: string, version: number, options?: MutationOptions): Promise<ProductionOrder> => this.call('completeProductionOrder', { path: { id }, body: { version } }, options),
      close: (id: string, version: number, options?: MutationOptions): Promise<ProductionOrder> => this.call('closeProductionOrder', { path: { id }, body: { version } }, options),
    },
    /**
     * Execution of released orders (S1-5.4.4-g, -h, -i). Every posting takes the order's lock, so
     * parallel terminals keep its quantities exact; send an Idempotency-Key (options) from a PDA
     * so that a resent scan or report counts once.
     */
    execution: {
      /** By order (no lines), by operation (operationSeq), by lines or by scans; 422 ISSUE_OVER_TOLERANCE beyond the tenant's tolerance. */
      issue: (orderId: string, body: IssueProductionMaterialInput, options?: MutationOptions): Promise<ProductionMaterialDocument> => this.call('issueProductionMaterial', { path: { id: orderId }, body }, options),
      /** Back to a warehouse and bin; 422 RETURN_EXCEEDS_ISSUED beyond what was issued. */
      return: (orderId: string, body: ReturnProductionMaterialInput, options?: MutationOptions): Promise<ProductionMaterialDocument> => this.call('returnProductionMaterial', { path: { id: orderId }, body }, options),
      materialDocuments: (orderId: string, query?: ProductionMaterialDocumentQuery, options?: RequestOptions): Promise<ProductionMaterialDocumentPage> => this.call('listProductionMaterialDocuments', { path: { id: orderId }, query }, options),
      /** Start, pause (a reason is required), resume or end an operation. */
      operationEvent: (orderId: string, seq: number, body: ProductionOperationEventInput, options?: MutationOptions): Promise<ProductionOperationEvent> => this.call('recordProductionOperationEvent', { path: { id: orderId, seq }, body }, options),
      operationEvents: (orderId: string, query?: ProductionExecutionListQuery, options?: RequestOptions): Promise<ProductionOperationEventPage> => this.call('listProductionOperationEvents', { path: { id: orderId }, query }, options),
      /** Good, scrap and pending-inspection quantities; 422 QUANTITY_FLOW_VIOLATION beyond what the predecessor passed. */
      report: (orderId: string, body: ProductionWorkReportInput, options?: MutationOptions): Promise<ProductionWorkReport> => this.call('reportProductionWork', { path: { id: orderId }, body }, options),
      reports: (orderId: string, query?: ProductionExecutionListQuery, options?: RequestOptions): Promise<ProductionWorkReportPage> => this.call('listProductionWorkReports', { path: { id: orderId }, query }, options),
      /** Product and by-products into stock with batch and serial numbers; records the genealogy. */
      receive: (orderId: string, body: PostProductionReceiptInput, options?: MutationOptions): Promise<ProductionReceipt> => this.call('postProductionReceipt', { path: { id: orderId }, body }, options),
      receipts: (orderId: string, query?: ProductionExecutionListQuery, options?: RequestOptions): Promise<ProductionReceiptPage> => this.call('listProductionReceipts', { path: { id: orderId }, query }, options),
      /** What a batch or serial was made of, level by level down. */
      genealogyBackward: (query: ProductionGenealogyQuery, options?: RequestOptions): Promise<ProductionGenealogy> => this.call('traceGenealogyBackward', { query }, options),
      /** What a batch or serial went into, level by level up. */
      genealogyForward: (query: ProductionGenealogyQuery, options?: RequestOptions): Promise<ProductionGenealogy> => this.call('traceGenealogyForward', { query }, options),
    },
    /** Dispatching (S1-5.4.4-j): every change carries a cause and reason and is kept. */
    dispatch: {
      /** Re-sequence an operation in its work centre's queue, or reassign it to an alternate work centre and station. */
      operation: (orderId: string, seq: number, body: DispatchProductionOperationInput, options?: MutationOptions): Promise<ProductionDispatchChange> => this.call('dispatchProductionOperation', { path: { id: orderId, seq }, body }, options),
      changes: (orderId: string, query?: ProductionExecutionListQuery, options?: RequestOptions): Promise<ProductionDispatchChangePage> => this.call('listProductionDispatchChanges', { path: { id: orderId }, query }, options),
      /** A work centre's queue in dispatch order. */
      list: (query: ProductionDispatchListQuery, options?: RequestOptions): Promise<ProductionDispatchList> => this.call('getProductionDispatchList', { query }, options),
    },
    pieceRates: {
      list: (query?: PieceRateQuery, options?: RequestOptions): Promise<PieceRatePage> => this.call('listPieceRates', { query }, options),
      iterate: (query?: PieceRateQuery, options?: RequestOptions): AsyncGenerator<PieceRate> => this.pages('listPieceRates', query, options),
      /** Money per good base unit of a product at an operation, from a date; 409 PIECE_RATE_EXISTS for the same date. */
      create: (body: CreatePieceRateInput, options?: MutationOptions): Promise<PieceRate> => this.call('createPieceRate', { body }, options),
      /** Wages by worker over a period, per product and operation. */
      wages: (query: ProductionWageReportQuery, options?: RequestOptions): Promise<ProductionWageReport> => this.call('getProductionWageReport', { query }, options),
    },
    /** How MRP plans a material: make or buy, lead time, lot sizing (lot_for_lot, fixed, min_multiple). */
    planning: {
      get: (materialId: string, options?: RequestOptions): Promise<MaterialPlanning> => this.call('getMaterialPlanning', { path: { id: materialId } }, options),
      /** `version` 0 the first time; 409 VERSION_CONFLICT on a stale one. */
      put: (materialId: string, body: PutMaterialPlanningInput, options?: MutationOptions): Promise<MaterialPlanning> => this.call('putMaterialPlanning', { path: { id: materialId }, body }, options),
    },
    /** MRP (S1-5.4.4-k, S1-5.4.1-f): recorded runs, planned orders pegged to their demand, firming (S1-5.4.2-f). */
    mrp: {
      run: (body: RunMrpInput = {}, options?: MutationOptions): Promise<MrpRun> => this.call('runMrp', { body }, options),
      list: (query?: MrpRunListQuery, options?: RequestOptions): Promise<MrpRunPage> => this.call('listMrpRuns', { query }, options),
      iterate: (query?: MrpRunListQuery, options?: RequestOptions): AsyncGenerator<MrpRunSummary> => this.pages('listMrpRuns', query, options),
      get: (id: string, query?: MrpRunQuery, options?: RequestOptions): Promise<MrpRun> => this.call('getMrpRun', { path: { id }, query }, options),
      /** Make lines become production orders, buy lines purchase orders per preferred supplier; 409 PLANNED_ORDER_FIRMED the second time. */
      firm: (id: string, lineNos: number[], options?: MutationOptions): Promise<MrpFirmResult> => this.call('firmMrpPlannedOrders', { path: { id }, body: { lineNos } }, options),
    },
    /** Kitting (齐套) of released orders, in the sequence given. */
    kitting: {
      get: (orderIds: string[], options?: RequestOptions): Promise<Kitting> => this.call('getProductionKitting', { body: { orderIds } }, options),
      /** Sets free stock aside for the orders' components; never more than the balance, even in parallel. */
      allocate: (orderIds: string[], options?: MutationOptions): Promise<Kitting> => this.call('allocateProductionKitting', { body: { orderIds } }, options),
    },
    /** Finite-capacity schedule of released orders on the work-centre calendars (day buckets), forward or backward; overloads reported; changes nothing. */
    schedule: (body: ScheduleInput = {}, options?: RequestOptions): Promise<ProductionSchedule> => this.call('scheduleProduction', { body }, options),
    /** The same schedule, written: operations' planned start and finish at shift resolution, fully placed orders' planned dates (S1-5.4.4-e). */
    applySchedule: (body: ScheduleInput = {}, options?: MutationOptions): Promise<AppliedProductionSchedule> => this.call('applyProductionSchedule', { body }, options),
    /**
     * The shop-floor board (S1-5.4.4-l): open and late orders per workshop and work centre, each
     * operation's planned against good, scrap and pending inspection, running operations with
     * station and operator. Pass its `lastSeq` to `feed` to follow every change from there.
     */
    progress: (query?: ProductionProgressQuery, options?: RequestOptions): Promise<ProductionProgress> => this.call('getProductionProgress', { query }, options),
    /**
     * The shop-floor changes as they commit (orders released, started, completed; operations
     * started, paused, resumed, ended, reported, dispatched; receipts), optionally of one workshop:
     * Server-Sent Events over fetch that reconnect and resume like `events.stream`.
     */
    feed: (query?: ProductionFeedQuery, options?: EventStreamOptions): AsyncGenerator<OutboxEvent> => streamProductionFeed(this.http, query, options),
  };

  /**
   * Equipment (S1-5.4.6) and the edge gateways that feed it (S1-4.2.3): the equipment master,
   * status against running standards, state history, alarms, indicators (OEE, MTBF, MTTR) and
   * commands to devices; gateway registration, keys and device maps. Gateways upload telemetry
   * with signed requests (docs/equipment.md), not through this client.
   */
  readonly equipment = {
    list: (query?: EquipmentQuery, options?: RequestOptions): Promise<EquipmentPage> => this.call('listEquipment', { query }, options),
    iterate: (query?: EquipmentQuery, options?: RequestOptions): AsyncGenerator<EquipmentSummary> => this.pages('listEquipment', query, options),
    create: (body: CreateEquipmentInput, options?: MutationOptions): Promise<Equipment> => this.call('createEquipment', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<Equipment> => this.call('getEquipment', { path: { id } }, options),
    /** Points and alarm rules, when given, replace the old ones; 409 VERSION_CONFLICT on a stale version. */
    update: (id: string, body: UpdateEquipmentInput, options?: RequestOptions): Promise<Equipment> => this.call('updateEquipment', { path: { id }, body }, options),
    /** Current state and the newest reading of every point against its running standard. */
    status: (id: string, options?: RequestOptions): Promise<EquipmentStatus> => this.call('getEquipmentStatus', { path: { id } }, options),
    /** State periods over [from, to) with seconds per state. */
    states: (id: string, query: EquipmentPeriodQuery, options?: RequestOptions): Promise<EquipmentStateHistory> => this.call('getEquipmentStates', { path: { id }, query }, options),
    /** Availability, performance, OEE, MTBF, MTTR and failure rate over [from, to). */
    indicators: (id: string, query: EquipmentPeriodQuery, options?: RequestOptions): Promise<EquipmentIndicators> => this.call('getEquipmentIndicators', { path: { id }, query }, options),
    /** A number point over [from, to) in 1-minute or 1-hour buckets from the rollups (auto: minutes up to two days). */
    series: (id: string, query: EquipmentSeriesQuery, options?: RequestOptions): Promise<EquipmentSeries> => this.call('getEquipmentSeries', { path: { id }, query }, options),
    /** Energy of a production order: the meters of the machines its operations ran on, over those intervals. */
    orderEnergy: (orderId: string, options?: RequestOptions): Promise<ProductionOrderEnergy> => this.call('getProductionOrderEnergy', { path: { id: orderId } }, options),
    /** Intact rate (完好率) over [from, to) per active machine and for the fleet (all, a workshop or a work centre). */
    intactRate: (query: EquipmentFleetPeriodQuery, options?: RequestOptions): Promise<EquipmentIntactRate> => this.call('getEquipmentIntactRate', { query }, options),
    /** Capacity report over whole days: calendar hours, run hours and utilisation per machine and work centre. */
    capacity: (query: EquipmentCapacityQuery, options?: RequestOptions): Promise<EquipmentCapacityReport> => this.call('getEquipmentCapacity', { query }, options),
    /** Needs equipment:command: a setpoint queued for the machine's gateway; follow it with commands.get. */
    command: (id: string, body: DeviceCommandInput, options?: MutationOptions): Promise<DeviceCommand> => this.call('sendDeviceCommand', { path: { id }, body }, options),
    commands: {
      get: (id: string, options?: RequestOptions): Promise<DeviceCommand> => this.call('getDeviceCommand', { path: { id } }, options),
    },
    alarms: {
      /** Newest first; `active: true` for the alarms not yet cleared. */
      list: (query?: EquipmentAlarmQuery, options?: RequestOptions): Promise<EquipmentAlarmPage> => this.call('listEquipmentAlarms', { query }, options),
      iterate: (query?: EquipmentAlarmQuery, options?: RequestOptions): AsyncGenerator<EquipmentAlarm> => this.pages('listEquipmentAlarms', query, options),
      get: (id: string, options?: RequestOptions): Promise<EquipmentAlarm> => this.call('getEquipmentAlarm', { path: { id } }, options),
      /** Once per alarm: 409 ALARM_ALREADY_ACKNOWLEDGED after that. */
      acknowledge: (id: string, body: AcknowledgeAlarmInput = {}, options?: MutationOptions): Promise<EquipmentAlarm> => this.call('acknowledgeEquipmentAlarm', { path: { id }, body }, options),
      /** The e-mails sent (or failed) for an alarm, level by level. */
      notices: (id: string, options?: RequestOptions): Promise<EquipmentAlarmNotices> => this.call('listEquipmentAlarmNotices', { path: { id } }, options),
      /** Who is told by e-mail per grade and rule kind, level by level (escalation after each level's acknowledgement timeout). */
      routes: {
        get: (options?: RequestOptions): Promise<EquipmentAlarmRoutes> => this.call('getEquipmentAlarmRoutes', {}, options),
        /** Replaces the routes whole; 422 ALARM_ROUTES_INVALID for level gaps, duplicates or bad addresses. */
        put: (body: EquipmentAlarmRoutes, options?: MutationOptions): Promise<EquipmentAlarmRoutes> => this.call('putEquipmentAlarmRoutes', { body }, options),
      },
    },
    gateways: {
      list: (query?: GatewayQuery, options?: RequestOptions): Promise<GatewayPage> => this.call('listGateways', { query }, options),
      iterate: (query?: GatewayQuery, options?: RequestOptions): AsyncGenerator<GatewaySummary> => this.pages('listGateways', query, options),
      /** Registers a gateway with its Ed25519 public key (SPKI PEM); `mes edge register` makes the key pair. */
      register: (body: RegisterGatewayInput, options?: MutationOptions): Promise<Gateway> => this.call('registerGateway', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<Gateway> => this.call('getGateway', { path: { id } }, options),
      /** Rename, block (its requests refused GATEWAY_UNKNOWN) or unblock. */
      update: (id: string, body: UpdateGatewayInput, options?: RequestOptions): Promise<Gateway> => this.call('updateGateway', { path: { id }, body }, options),
      /** Key rotation: the new key is valid at once, the old one until revoked. */
      addKey: (id: string, publicKey: string, options?: MutationOptions): Promise<Gateway> => this.call('addGatewayKey', { path: { id }, body: { publicKey } }, options),
      revokeKey: (id: string, keyId: string, options?: MutationOptions): Promise<Gateway> => this.call('revokeGatewayKey', { path: { id, keyId } }, options),
      /** A new device map version; the gateway pulls it. */
      putConfig: (id: string, body: PutGatewayConfigInput, options?: RequestOptions): Promise<GatewayConfig> => this.call('putGatewayConfig', { path: { id }, body }, options),
      config: (id: string, options?: RequestOptions): Promise<GatewayConfig> => this.call('getGatewayConfig', { path: { id } }, options),
    },
  };

  /**
   * Quality (S1-5.4.5): defect codes, inspection standards and plans, GB/T 2828.1 sampling and
   * switching, inspection orders with results, automatic judgement, review and disposition.
   */
  readonly quality = {
    defectCodes: {
      list: (query?: QualityPageQuery, options?: RequestOptions): Promise<QualityDefectCodePage> => this.call('listQualityDefectCodes', { query }, options),
      create: (body: CreateQualityDefectCodeInput, options?: MutationOptions): Promise<QualityDefectCode> => this.call('createQualityDefectCode', { body }, options),
    },
    standards: {
      list: (query?: QualityStandardQuery, options?: RequestOptions): Promise<QualityStandardPage> => this.call('listQualityStandards', { query }, options),
      iterate: (query?: QualityStandardQuery, options?: RequestOptions): AsyncGenerator<QualityStandard> => this.pages('listQualityStandards', query, options),
      create: (body: CreateQualityStandardInput, options?: MutationOptions): Promise<QualityStandard> => this.call('createQualityStandard', { body }, options),
      /** With `itemsVersion`: the items of that version (default the current one). */
      get: (id: string, query: { itemsVersion?: number } = {}, options?: RequestOptions): Promise<QualityStandard> => this.call('getQualityStandard', { path: { id }, query }, options),
      /** Rename or retire a standard with the version read; its items stay. */
      update: (id: string, body: UpdateQualityStandardInput, options?: MutationOptions): Promise<QualityStandard> => this.call('updateQualityStandard', { path: { id }, body }, options),
      /** Items added, changed or removed: the next items version; inspections started before keep theirs. */
      replaceItems: (id: string, body: ReplaceQualityStandardItemsInput, options?: MutationOptions): Promise<QualityStandard> => this.call('replaceQualityStandardItems', { path: { id }, body }, options),
    },
    plans: {
      list: (query?: QualityPlanQuery, options?: RequestOptions): Promise<QualityPlanPage> => this.call('listQualityPlans', { query }, options),
      create: (body: CreateQualityPlanInput, options?: MutationOptions): Promise<QualityPlan> => this.call('createQualityPlan', { body }, options),
      get: (id: string, options?: RequestOptions): Promise<QualityPlan> => this.call('getQualityPlan', { path: { id } }, options),
      /** Change name, status, sampling, interval or operation with the version read. */
      update: (id: string, body: UpdateQualityPlanInput, options?: MutationOptions): Promise<QualityPlan> => this.call('updateQualityPlan', { path: { id }, body }, options),
      /** A patrol round of a patrol plan every N hours: one inspection per running order and window (asking again in the window creates nothing). */
      patrolDue: (id: string, body: QualityPatrolDueInput = {}, options?: MutationOptions): Promise<QualityInspectionList> => this.call('runQualityPatrol', { path: { id }, body }, options),
    },
    /** The GB/T 2828.1 single sampling plan for a lot (code letter, n, Ac, Re). */
    samplingPlan: (query: QualitySamplingPlanQuery, options?: RequestOptions): Promise<QualitySamplingPlan> => this.call('getQualitySamplingPlan', { query }, options),
    switchingState: (query: QualitySwitchingQuery, options?: RequestOptions): Promise<QualitySwitchingState> => this.call('getQualitySwitchingState', { query }, options),
    inspections: {
      list: (query?: QualityInspectionQuery, options?: RequestOptions): Promise<QualityInspectionPage> => this.call('listQualityInspections', { query }, options),
      iterate: (query?: QualityInspectionQuery, options?: RequestOptions): AsyncGenerator<QualityInspectionSummary> => this.pages('listQualityInspections', query, options),
      create: (body: CreateQualityInspectionInput, options?: MutationOptions): Promise<QualityInspection> => this.call('createQualityInspection', { body }, options),
      /** Incoming inspection orders for every line of a purchase receipt awaiting inspection. */
      fromReceipt: (receiptId: string, body: { planId?: string } = {}, options?: MutationOptions): Promise<QualityInspectionList> =>
        this.call('createQualityInspectionsFromReceipt', { path: { id: receiptId }, body }, options),
      /** A quality-caused sales return (reason failed_inspection): an inspection per line of the returned goods, or the lines linked to an existing inspection. */
      fromSalesReturn: (returnId: string, body: { planId?: string; inspectionId?: string; lineNos?: number[] } = {}, options?: MutationOptions): Promise<QualityInspectionList> =>
        this.call('inspectSalesReturn', { path: { id: returnId }, body }, options),
      /** From a defect the inspection found, a revision request of the drawing linked to it. */
      requestDrawingRevision: (id: string, body: RequestDrawingRevisionInput, options?: MutationOptions): Promise<DrawingRevisionRequest> =>
        this.call('requestDrawingRevision', { path: { id }, body }, options),
      get: (id: string, options?: RequestOptions): Promise<QualityInspection> => this.call('getQualityInspection', { path: { id } }, options),
      /** The whole sample at once; judged on the spot. */
      recordResults: (id: string, body: QualityResultsInput, options?: MutationOptions): Promise<QualityInspection> => this.call('recordQualityInspectionResults', { path: { id }, body }, options),
      /** Needs quality:review; the reason is kept with the original judgement. */
      review: (id: string, body: QualityReviewInput, options?: MutationOptions): Promise<QualityInspection> => this.call('reviewQualityInspection', { path: { id }, body }, options),
      dispose: (id: string, body: QualityDispositionInput, options?: MutationOptions): Promise<QualityInspection> => this.call('disposeQualityInspection', { path: { id }, body }, options),
    },
    /** Quality reports (S1-5.4.5-f) over inspections judged in [from, to). */
    reports: {
      defects: (query: QualityDefectParetoQuery, options?: RequestOptions): Promise<QualityDefectPareto> => this.call('getQualityDefectPareto', { query }, options),
      firstPassYield: (query: QualityReportPeriod, options?: RequestOptions): Promise<QualityFirstPassYield> => this.call('getQualityFirstPassYield', { query }, options),
      supplierPpm: (query: QualityReportPeriod, options?: RequestOptions): Promise<QualitySupplierPpm> => this.call('getQualitySupplierPpm', { query }, options),
      /** Created → judged, p50/p95/mean/max in minutes, per inspection type and per supplier. */
      leadTimes: (query: QualityReportPeriod, options?: RequestOptions): Promise<QualityLeadTimes> => this.call('getQualityLeadTimes', { query }, options),
      controlChart: (query: QualityControlChartQuery, options?: RequestOptions): Promise<QualityControlChart> => this.call('getQualityControlChart', { query }, options),
    },
  };

  /**
   * Data import (S1-7.3-a): a CSV (UTF-8, GB18030/GBK) or XLSX file becomes a job. Phase 1 checks
   * the whole file and reports every error at once, writing nothing if any row is bad (`dryRun`
   * stops there); phase 2 writes in the background in chunks keyed by each row's natural key, so a
   * re-run changes nothing and a stopped job resumes. Each sheet needs its module's write permission.
   */
  readonly imports = {
    /** Uploads the file; the job answers with status invalid (and its errors), validated (dry run) or writing. */
    create: (bytes: Uint8Array, query: ImportQuery, options?: MutationOptions): Promise<ImportJob> => {
      const [method, path] = routeOf('createImport', {});
      return this.http.request({ method, path, query, body: bytes, contentType: 'application/octet-stream', options });
    },
    /** Status and progress (doneRows of totalRows, rowsPerSecond) and every error. */
    get: (id: string, options?: RequestOptions): Promise<ImportJob> => this.call('getImport', { path: { id } }, options),
    /** Goes on writing a job whose process stopped; 409 IMPORT_NOT_RESUMABLE when it is not writing. */
    resume: (id: string, options?: MutationOptions): Promise<ImportJob> => this.call('resumeImport', { path: { id } }, options),
    /** The uploaded file with an error column: each row's errors beside it (CSV in its own encoding, or XLSX). */
    errorReport: (id: string, options?: RequestOptions): Promise<BinaryBody> => this.binary('getImportErrorReport', { path: { id } }, options),
    /** A template for a kind: headers in Chinese and English, an example row; XLSX adds drop-down lists. */
    template: (kind: ImportKind, query?: ImportTemplateQuery, options?: RequestOptions): Promise<BinaryBody> => this.binary('getImportTemplate', { query: { ...query, kind } }, options),
  };

  /**
   * Go-live cutover (S1-7.2, S1-7.3): a plan of ordered steps and readiness checks; the steps run
   * one after the other (freeze, backup, clean, three import steps, reconcile, unfreeze), and while
   * the tenant is frozen its other writes get 423 TENANT_FROZEN. Imports of the cutover name it in
   * the `Mes-Cutover` header (`imports.create(bytes, query, { headers: { 'mes-cutover': id } })`).
   */
  readonly cutovers = {
    plan: (body: PlanCutoverInput = {}, options?: MutationOptions): Promise<Cutover> => this.call('planCutover', { body }, options),
    list: (query?: { limit?: number; cursor?: string }, options?: RequestOptions): Promise<CutoverPage> => this.call('listCutovers', { query }, options),
    get: (id: string, options?: RequestOptions): Promise<Cutover> => this.call('getCutover', { path: { id } }, options),
    /** Runs the readiness checks again. */
    check: (id: string, options?: MutationOptions): Promise<Cutover> => this.call('checkCutoverReadiness', { path: { id } }, options),
    /** Runs the next step; a failed step answers 200 with the cutover failed (the step's result says why). */
    runStep: (id: string, step: CutoverStepKey, body: RunCutoverStepInput = {}, options?: MutationOptions): Promise<Cutover> =>
      this.call('runCutoverStep', { path: { id, step }, body }, options),
    /** Restores the backup point and unfreezes; only an open cutover. */
    rollback: (id: string, options?: MutationOptions): Promise<Cutover> => this.call('rollbackCutover', { path: { id } }, options),
    /** Verification and go-live summary (S1-7.3-b/c). */
    summary: (id: string, options?: RequestOptions): Promise<CutoverSummary> => this.call('getCutoverSummary', { path: { id } }, options),
  };

  readonly diagnostics = {
    get: (options?: RequestOptions): Promise<Diagnostics> => this.call('getDiagnostics', {}, options),
  };

  /** Health checks report on now, so they are never retried. */
  readonly health = {
    /** GET /healthz: the process answers. */
    live: (options?: RequestOptions): Promise<Health> => this.call('getHealth', {}, options, 0),
    /** GET /readyz: ready for traffic; a draining or database-less server fails with 503. */
    ready: (options?: RequestOptions): Promise<Health> => this.call('getReadiness', {}, options, 0),
  };

  /**
   * A route this SDK has no typed operation for yet (a server newer than the SDK, or a module still
   * landing), by method and path. Same authentication, retries, idempotency keys and MesError
   * problems as every typed call; the answer is the parsed JSON, untyped.
   */
  request<T = unknown>(method: Method, path: string, params: { query?: Record<string, unknown>; body?: unknown } = {}, options?: MutationOptions): Promise<T> {
    return this.http.request({ method, path, query: params.query, body: params.body, options });
  }

  /** Resolves an operation's route and fills in its path parameters. Async, so bad arguments reject like any failure. */
  /** Customers and suppliers are one shape on the server; one builder serves both. */
  private partnerNamespace(ops: { list: 'listCustomers' | 'listSuppliers'; create: 'createCustomer' | 'createSupplier'; get: 'getCustomer' | 'getSupplier'; update: 'updateCustomer' | 'updateSupplier' }) {
    return {
      list: (query?: PartnerQuery, options?: RequestOptions): Promise<PartnerPage> => this.call(ops.list, { query }, options),
      iterate: (query?: PartnerQuery, options?: RequestOptions): AsyncGenerator<Partner> => this.pages(ops.list, query, options),
      create: (body: CreatePartnerInput, options?: MutationOptions): Promise<Partner> => this.call(ops.create, { body }, options),
      get: (id: string, options?: RequestOptions): Promise<Partner> => this.call(ops.get, { path: { id } }, options),
      update: (id: string, body: UpdatePartnerInput, options?: RequestOptions): Promise<Partner> => this.call(ops.update, { path: { id }, body }, options),
    };
  }

  private orgNamespace(ops: {
    listGroups: 'listSalesGroups' | 'listPurchasingGroups';
    createGroup: 'createSalesGroup' | 'createPurchasingGroup';
    listPeople: 'listSalespersons' | 'listBuyers';
    createPerson: 'createSalesperson' | 'createBuyer';
  }) {
    return {
      listGroups: (options?: RequestOptions): Promise<OrgGroupList> => this.call(ops.listGroups, {}, options),
      createGroup: (body: CreateOrgGroupInput, options?: MutationOptions): Promise<OrgGroup> => this.call(ops.createGroup, { body }, options),
      listPeople: (options?: RequestOptions): Promise<OrgPersonList> => this.call(ops.listPeople, {}, options),
      createPerson: (body: CreateOrgPersonInput, options?: MutationOptions): Promise<OrgPerson> => this.call(ops.createPerson, { body }, options),
    };
  }

  private async call<K extends RoutedOperation>(op: K, params: CallParams<K>, options?: MutationOptions, retries?: number): Promise<SuccessOf<K>> {
    const [method, path] = routeOf(op, params.path);
    return this.http.request({ method, path, query: params.query as Record<string, unknown>, body: params.body, options, retries });
  }

  /** Like call(), for an operation that answers with bytes (an image, a file) instead of JSON. */
  private async binary<K extends BinaryOperation>(op: K, params: CallParams<K>, options?: RequestOptions): Promise<BinaryBody> {
    const [method, path] = routeOf(op, params.path);
    return this.http.request({ method, path, query: params.query as Record<string, unknown>, body: params.body, options, responseType: 'binary' });
  }

  /** Every item of every page, fetching the next page only when the caller gets that far. */
  private async *pages<K extends PagedOperation>(op: K, query: QueryOf<K> | undefined, options?: RequestOptions): AsyncGenerator<ItemOf<K>> {
    let cursor = query?.cursor;
    do {
      const page: SuccessOf<PagedOperation> = await this.call<PagedOperation>(op, { query: { ...query, cursor } }, options);
      yield* page.items as ItemOf<K>[];
      // A server that hands back the cursor it was given would keep this loop going forever.
      if (page.nextCursor !== null && page.nextCursor === cursor) throw stuckCursor(op, cursor);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}

/** UTF-8 text of a CSV body; TextDecoder drops the byte-order mark the server adds for spreadsheets. */
function csvText(body: BinaryBody): string {
  return new TextDecoder('utf-8').decode(body.bytes);
}

/** The method and the path of an operation, its path parameters filled in. */
function routeOf(op: RoutedOperation, params: unknown): [Method, string] {
  const [method, template] = ROUTES[op].split(' ') as [Method, string];
  const values = (params ?? {}) as Record<string, string | number>;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    // An operation's sequence number is a whole number; anything else is a non-empty string.
    if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
    // An empty id would silently address another route (/v1/tenants/ is the list).
    if (typeof value !== 'string' || value === '') throw new TypeError(`${op}: ${name} must be a non-empty string`);
    return encodeURIComponent(value);
  });
  return [method, path];
}

function stuckCursor(op: string, cursor: string): MesError {
  return new MesError({
    message: `PAGINATION_STUCK: ${op} answered nextCursor ${cursor} for the page that cursor asked for; stopping instead of looping forever`,
    status: 200,
    code: 'PAGINATION_STUCK',
  });
}

function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`MesClient: baseUrl "${baseUrl}" is not a URL; expected something like http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`MesClient: baseUrl must be http or https, got ${url.protocol}`);
  return url.toString().replace(/\/+$/, '');
}

function integerAtLeast(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new TypeError(`MesClient: ${name} must be an integer >= ${min}, got ${value}`);
  return value;
}
