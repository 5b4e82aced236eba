/**
 * Named types for SDK users, all derived from the generated OpenAPI types: when the server's
 * schemas change, `npm run generate -w @mes/sdk` changes these with them.
 */
import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];

export type Tenant = Schemas['Tenant'];
export type TenantPage = Schemas['TenantPage'];
export type CreatedTenant = Schemas['CreatedTenant'];
export type Plan = Schemas['Plan'];
export type PlanList = Schemas['PlanList'];
export type User = Schemas['User'];
export type UserPage = Schemas['UserPage'];
export type Role = Schemas['Role'];
export type RoleList = Schemas['RoleList'];
export type ApiKey = Schemas['ApiKey'];
export type ApiKeyPage = Schemas['ApiKeyPage'];
export type CreatedApiKey = Schemas['CreatedApiKey'];
export type Token = Schemas['Token'];
export type Me = Schemas['Me'];
export type AuditRecord = Schemas['AuditRecord'];
export type AuditPage = Schemas['AuditPage'];
export type ChainVerdict = Schemas['ChainVerdict'];
export type Diagnostics = Schemas['Diagnostics'];
export type Problem = Schemas['Problem'];
export type FieldError = Schemas['FieldError'];

// Master data and inventory.
export type Unit = Schemas['Unit'];
export type UnitList = Schemas['UnitList'];
export type UnitConversion = Schemas['UnitConversion'];
export type UnitConversionList = Schemas['UnitConversionList'];
export type ConversionResult = Schemas['ConversionResult'];
export type Material = Schemas['Material'];
export type MaterialPage = Schemas['MaterialPage'];
export type Warehouse = Schemas['Warehouse'];
export type Partner = Schemas['Partner'];
export type PartnerPage = Schemas['PartnerPage'];
export type PartnerQuery = QueryOf<'listCustomers'>;
export type CreatePartnerInput = BodyOf<'createCustomer'>;
export type UpdatePartnerInput = BodyOf<'updateCustomer'>;
export type OrgGroup = Schemas['OrgGroup'];
export type OrgGroupList = Schemas['OrgGroupList'];
export type OrgPerson = Schemas['OrgPerson'];
export type OrgPersonList = Schemas['OrgPersonList'];
export type CreateOrgGroupInput = BodyOf<'createSalesGroup'>;
export type CreateOrgPersonInput = BodyOf<'createSalesperson'>;
export type WarehouseList = Schemas['WarehouseList'];
export type Bin = Schemas['Bin'];
export type BinList = Schemas['BinList'];
export type SafetyStock = Schemas['SafetyStock'];
export type StockDocument = Schemas['StockDocument'];
export type StockDocumentSummary = Schemas['StockDocumentSummary'];
export type StockDocumentPage = Schemas['StockDocumentPage'];
export type Movement = Schemas['Movement'];
export type MovementPage = Schemas['MovementPage'];
export type Balance = Schemas['Balance'];
export type BalancePage = Schemas['BalancePage'];
export type FifoSuggestion = Schemas['FifoSuggestion'];
export type Batch = Schemas['Batch'];
export type BatchList = Schemas['BatchList'];
export type CodingRule = Schemas['CodingRule'];
export type CodingRuleList = Schemas['CodingRuleList'];
export type CodePreview = Schemas['CodePreview'];
export type Feature = Schemas['Feature'];
export type FeatureList = Schemas['FeatureList'];
export type Gs1Fields = Schemas['Gs1Fields'];
export type ResolvedBarcode = Schemas['ResolvedBarcode'];
export type CountSheet = Schemas['CountSheet'];
export type CountSheetSummary = Schemas['CountSheetSummary'];
export type CountSheetPage = Schemas['CountSheetPage'];
export type CountEntriesResult = Schemas['CountEntriesResult'];
export type StockSummaryRow = Schemas['StockSummaryRow'];
export type StockSummaryPage = Schemas['StockSummaryPage'];
export type SafetyStockRow = Schemas['SafetyStockRow'];
export type SafetyStockPage = Schemas['SafetyStockPage'];

/** Every operationId of the API. */
export type OperationId = keyof operations;

type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Responses<K extends OperationId> = operations[K]['responses'];

/** The JSON body of an operation's success response (200 or 201). */
export type SuccessOf<K extends OperationId> = JsonContent<Responses<K>[Extract<keyof Responses<K>, 200 | 201 | 202>]>;
/** The JSON request body of an operation; never when it takes none. */
export type BodyOf<K extends OperationId> = JsonContent<operations[K] extends { requestBody: infer B } ? B : never>;
/** The query parameters of an operation; never when it takes none. */
export type QueryOf<K extends OperationId> = NonNullable<operations[K]['parameters']['query']>;
/** The path parameters of an operation; never when it takes none. */
export type PathOf<K extends OperationId> = NonNullable<operations[K]['parameters']['path']>;

export type Health = SuccessOf<'getHealth'>;
export type LoginInput = BodyOf<'login'>;
export type CreateTenantInput = BodyOf<'createTenant'>;
export type UpdateTenantInput = BodyOf<'updateTenant'>;
export type CreateUserInput = BodyOf<'createUser'>;
export type UpdateUserInput = BodyOf<'updateUser'>;
export type CreateApiKeyInput = BodyOf<'createApiKey'>;
export type PageQuery = QueryOf<'listTenants'>;
export type AuditQuery = QueryOf<'listAuditRecords'>;
export type CreateUnitInput = BodyOf<'createUnit'>;
export type CreateUnitConversionInput = BodyOf<'createUnitConversion'>;
export type UnitConversionQuery = QueryOf<'listUnitConversions'>;
export type CreateMaterialInput = BodyOf<'createMaterial'>;
export type UpdateMaterialInput = BodyOf<'updateMaterial'>;
export type CreateVariantInput = BodyOf<'createMaterialVariant'>;
export type MaterialQuery = QueryOf<'listMaterials'>;
export type ConvertQuery = QueryOf<'convertMaterialQuantity'>;
export type SetSafetyStockInput = BodyOf<'setSafetyStock'>;
export type CreateWarehouseInput = BodyOf<'createWarehouse'>;
export type UpdateWarehouseInput = BodyOf<'updateWarehouse'>;
export type CreateBinInput = BodyOf<'createBin'>;
export type CreateStockDocumentInput = BodyOf<'createStockDocument'>;
/** One line of a stock document: material, location, batch and serial by id, by code or by scanned label. */
export type StockLineInput = CreateStockDocumentInput['lines'][number];
export type StockDocumentQuery = QueryOf<'listStockDocuments'>;
export type ReverseStockDocumentInput = NonNullable<BodyOf<'reverseStockDocument'>>;
export type MovementQuery = QueryOf<'listStockMovements'>;
export type BalanceQuery = QueryOf<'listStockBalances'>;
export type FifoQuery = QueryOf<'suggestFifoPicks'>;
export type PutCodingRuleInput = BodyOf<'putCodingRule'>;
export type CodeContextInput = BodyOf<'nextCode'>;
export type CreateFeatureInput = BodyOf<'createFeature'>;
export type UpdateFeatureInput = BodyOf<'updateFeature'>;
export type ResolveBarcodeInput = BodyOf<'resolveBarcode'>;
export type CreateLabelInput = BodyOf<'createLabel'>;
export type MaterialLabelQuery = QueryOf<'getMaterialLabel'>;
export type CreateCountSheetInput = BodyOf<'createCountSheet'>;
export type CountSheetListQuery = QueryOf<'listCountSheets'>;
export type CountSheetQuery = QueryOf<'getCountSheet'>;
export type CountEntriesInput = BodyOf<'addCountEntries'>;
/** One count: a sheet line by number, or the item and bin as scanned or typed. */
export type CountEntryInput = CountEntriesInput['entries'][number];
export type PostCountSheetInput = NonNullable<BodyOf<'postCountSheet'>>;
export type StockSummaryQuery = QueryOf<'getStockSummary'>;
export type StockSummaryExportQuery = QueryOf<'exportStockSummary'>;
export type SafetyStockReportQuery = QueryOf<'getSafetyStockReport'>;
export type BalanceExportQuery = QueryOf<'exportStockBalances'>;

/** Options every call accepts, as its last argument. */
export interface RequestOptions {
  /** Aborts the call, retries included; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Extra request headers, e.g. a W3C `traceparent` to join the caller's trace. */
  headers?: Record<string, string>;
}

/** Options of calls that create something (POST). */
export interface MutationOptions extends RequestOptions {
  /**
   * Makes the call safe to repeat: the server applies a key once and replays the stored response.
   * Defaults to a random UUID per call, reused by that call's retries.
   */
  idempotencyKey?: string;
}

// Tenant rules and the event stream.
export type TenantSettings = Schemas['TenantSettings'];
export type UpdateTenantSettingsInput = BodyOf<'updateTenantSettings'>;
export type OutboxEvent = Schemas['OutboxEvent'];
export type OutboxEventPage = Schemas['OutboxEventPage'];
export type EventQuery = QueryOf<'listEvents'>;

// Sales (S1-5.4.1-b..g).
export type SalesOrder = Schemas['SalesOrder'];
export type SalesOrderSummary = Schemas['SalesOrderSummary'];
export type SalesOrderPage = Schemas['SalesOrderPage'];
export type SalesOrderQuery = QueryOf<'listSalesOrders'>;
export type CreateSalesOrderInput = BodyOf<'createSalesOrder'>;
export type UpdateSalesOrderInput = BodyOf<'updateSalesOrder'>;
export type DocumentVersion = Schemas['DocumentVersion'];
export type DocumentVersionList = Schemas['DocumentVersionList'];
export type DeliveryPlan = Schemas['DeliveryPlan'];
export type DeliveryPlanSummary = Schemas['DeliveryPlanSummary'];
export type DeliveryPlanPage = Schemas['DeliveryPlanPage'];
export type DeliveryPlanQuery = QueryOf<'listDeliveryPlans'>;
export type CreateDeliveryPlanInput = BodyOf<'createDeliveryPlan'>;
export type UpdateDeliveryPlanInput = BodyOf<'updateDeliveryPlan'>;
export type SalesOutbound = Schemas['SalesOutbound'];
export type SalesOutboundSummary = Schemas['SalesOutboundSummary'];
export type SalesOutboundPage = Schemas['SalesOutboundPage'];
export type SalesOutboundQuery = QueryOf<'listSalesOutbounds'>;
export type CreateSalesOutboundInput = BodyOf<'createSalesOutbound'>;
export type ScanSalesOutboundInput = BodyOf<'scanSalesOutbound'>;
export type SalesReturn = Schemas['SalesReturn'];
export type SalesReturnSummary = Schemas['SalesReturnSummary'];
export type SalesReturnPage = Schemas['SalesReturnPage'];
export type SalesReturnQuery = QueryOf<'listSalesReturns'>;
export type CreateSalesReturnInput = BodyOf<'createSalesReturn'>;
export type SalesProgressRow = Schemas['SalesProgressRow'];
export type SalesProgressPage = Schemas['SalesProgressPage'];
export type SalesProgressQuery = QueryOf<'getSalesProgress'>;
// Purchasing (S1-5.4.2).
export type SupplierMaterial = Schemas['SupplierMaterial'];
export type SupplierMaterialList = Schemas['SupplierMaterialList'];
export type SupplierMaterialQuery = QueryOf<'listSupplierMaterials'>;
export type PutSupplierMaterialInput = BodyOf<'putSupplierMaterial'>;
export type PurchaseOrder = Schemas['PurchaseOrder'];
export type PurchaseOrderLine = Schemas['PurchaseOrderLine'];
export type PurchaseOrderSummary = Schemas['PurchaseOrderSummary'];
export type PurchaseOrderPage = Schemas['PurchaseOrderPage'];
export type PurchaseOrderQuery = QueryOf<'listPurchaseOrders'>;
export type CreatePurchaseOrderInput = BodyOf<'createPurchaseOrder'>;
export type UpdatePurchaseOrderInput = BodyOf<'updatePurchaseOrder'>;
export type PurchaseOrderActionInput = BodyOf<'cancelPurchaseOrder'>;
/** The version you read, and a reason: what approve, cancel and close of a sales order take. */
export type SalesOrderActionInput = BodyOf<'cancelSalesOrder'>;
export type PurchaseSuggestionInput = BodyOf<'createPurchaseSuggestions'>;
export type PurchaseSuggestionResult = Schemas['PurchaseSuggestionResult'];
export type PurchaseReceipt = Schemas['PurchaseReceipt'];
export type PurchaseReceiptLine = Schemas['PurchaseReceiptLine'];
export type PurchaseReceiptSummary = Schemas['PurchaseReceiptSummary'];
export type PurchaseReceiptPage = Schemas['PurchaseReceiptPage'];
export type PurchaseReceiptQuery = QueryOf<'listPurchaseReceipts'>;
export type CreatePurchaseReceiptInput = BodyOf<'createPurchaseReceipt'>;
export type PurchaseLabel = Schemas['PurchaseLabel'];
export type PurchaseLabelList = Schemas['PurchaseLabelList'];
export type IncomingInspection = Schemas['IncomingInspection'];
export type InspectPurchaseReceiptInput = BodyOf<'inspectPurchaseReceipt'>;
export type InspectionResult = Schemas['InspectionResult'];
export type PurchaseInbound = Schemas['PurchaseInbound'];
export type PurchaseInboundSummary = Schemas['PurchaseInboundSummary'];
export type PurchaseInboundPage = Schemas['PurchaseInboundPage'];
export type PurchaseDocumentQuery = QueryOf<'listPurchaseInbounds'>;
export type PurchaseReturn = Schemas['PurchaseReturn'];
export type PurchaseReturnSummary = Schemas['PurchaseReturnSummary'];
export type PurchaseReturnPage = Schemas['PurchaseReturnPage'];
export type CreatePurchaseReturnInput = BodyOf<'createPurchaseReturn'>;
export type PurchasingProgressRow = Schemas['PurchasingProgressRow'];
export type PurchasingProgressPage = Schemas['PurchasingProgressPage'];
export type PurchasingProgressQuery = QueryOf<'getPurchasingProgress'>;
// Backups (S1-8.4, S1-8.2): platform admin.
export type CreateBackupInput = BodyOf<'createBackup'>;
export type TenantRestore = Schemas['TenantRestore'];
export type TenantRestoreQuery = QueryOf<'restoreTenant'>;
export type BackupDrill = Schemas['BackupDrill'];
export type BackupDrillPage = Schemas['BackupDrillPage'];
export type StartBackupDrillInput = BodyOf<'startBackupDrill'>;
// The plant model (shared with equipment) and calendars.
export type Calendar = Schemas['Calendar'];
export type CalendarSummary = Schemas['CalendarSummary'];
export type CalendarPage = Schemas['CalendarPage'];
export type CreateCalendarInput = BodyOf<'createCalendar'>;
export type UpdateCalendarInput = BodyOf<'updateCalendar'>;
export type Plant = Schemas['Plant'];
export type PlantSummary = Schemas['PlantSummary'];
export type PlantPage = Schemas['PlantPage'];
export type PlantQuery = QueryOf<'listPlants'>;
export type CreatePlantInput = BodyOf<'createPlant'>;
export type UpdatePlantInput = BodyOf<'updatePlant'>;
export type Workshop = Schemas['Workshop'];
export type WorkshopPage = Schemas['WorkshopPage'];
export type WorkshopQuery = QueryOf<'listWorkshops'>;
export type CreateWorkshopInput = BodyOf<'createWorkshop'>;
export type UpdateWorkshopInput = BodyOf<'updateWorkshop'>;
export type ProductionLine = Schemas['ProductionLine'];
export type ProductionLinePage = Schemas['ProductionLinePage'];
export type ProductionLineQuery = QueryOf<'listProductionLines'>;
export type CreateProductionLineInput = BodyOf<'createProductionLine'>;
export type UpdateProductionLineInput = BodyOf<'updateProductionLine'>;
export type WorkCentre = Schemas['WorkCentre'];
export type WorkCentrePage = Schemas['WorkCentrePage'];
export type WorkCentreQuery = QueryOf<'listWorkCentres'>;
export type CreateWorkCentreInput = BodyOf<'createWorkCentre'>;
export type UpdateWorkCentreInput = BodyOf<'updateWorkCentre'>;
export type WorkCentreCapacity = Schemas['WorkCentreCapacity'];
export type CapacityQuery = QueryOf<'getWorkCentreCapacity'>;
export type Station = Schemas['Station'];
export type StationPage = Schemas['StationPage'];
export type StationQuery = QueryOf<'listStations'>;
export type CreateStationInput = BodyOf<'createStation'>;
export type UpdateStationInput = BodyOf<'updateStation'>;
// Production (S1-5.4.4).
export type Routing = Schemas['Routing'];
export type RoutingSummary = Schemas['RoutingSummary'];
export type RoutingPage = Schemas['RoutingPage'];
export type RoutingQuery = QueryOf<'listRoutings'>;
export type CreateRoutingInput = BodyOf<'createRouting'>;
export type UpdateRoutingInput = BodyOf<'updateRouting'>;
export type Bom = Schemas['Bom'];
export type BomSummary = Schemas['BomSummary'];
export type BomPage = Schemas['BomPage'];
export type BomQuery = QueryOf<'listBoms'>;
export type CreateBomInput = BodyOf<'createBom'>;
export type UpdateBomInput = BodyOf<'updateBom'>;
export type BomExplosion = Schemas['BomExplosion'];
export type BomExplosionQuery = QueryOf<'explodeBom'>;
export type BomWhereUsed = Schemas['BomWhereUsed'];
export type BomWhereUsedQuery = QueryOf<'getBomWhereUsed'>;
export type Drawing = Schemas['Drawing'];
export type DrawingSummary = Schemas['DrawingSummary'];
export type DrawingPage = Schemas['DrawingPage'];
export type DrawingRevisionRequest = Schemas['DrawingRevisionRequest'];
export type DrawingRevisionRequestList = Schemas['DrawingRevisionRequestList'];
export type DecideDrawingRevisionRequestInput = BodyOf<'decideDrawingRevisionRequest'>;
export type RequestDrawingRevisionInput = BodyOf<'requestDrawingRevision'>;
export type DrawingQuery = QueryOf<'listDrawings'>;
export type CreateDrawingInput = BodyOf<'createDrawing'>;
/** Where the file comes from: a name and what changed; its type is its Content-Type (default application/octet-stream: the server sniffs it). */
export type UploadDrawingQuery = QueryOf<'uploadDrawingRevision'> & { contentType?: string };
export type DrawingContentQuery = QueryOf<'getDrawingContent'>;
export type ProductionOrder = Schemas['ProductionOrder'];
export type ProductionOrderSummary = Schemas['ProductionOrderSummary'];
export type ProductionOrderPage = Schemas['ProductionOrderPage'];
export type ProductionOrderQuery = QueryOf<'listProductionOrders'>;
export type CreateProductionOrderInput = BodyOf<'createProductionOrder'>;
export type UpdateProductionOrderInput = BodyOf<'updateProductionOrder'>;
export type ProductionOrderActionInput = BodyOf<'cancelProductionOrder'>;
/** Production execution (S1-5.4.4-g, -h, -i). */
export type ProductionMaterialDocument = Schemas['ProductionMaterialDocument'];
export type ProductionMaterialDocumentPage = Schemas['ProductionMaterialDocumentPage'];
export type ProductionMaterialDocumentQuery = QueryOf<'listProductionMaterialDocuments'>;
export type IssueProductionMaterialInput = BodyOf<'issueProductionMaterial'>;
export type ReturnProductionMaterialInput = BodyOf<'returnProductionMaterial'>;
export type ProductionOperationEvent = Schemas['ProductionOperationEvent'];
export type ProductionOperationEventPage = Schemas['ProductionOperationEventPage'];
export type ProductionOperationEventInput = BodyOf<'recordProductionOperationEvent'>;
export type ProductionWorkReport = Schemas['ProductionWorkReport'];
export type ProductionWorkReportPage = Schemas['ProductionWorkReportPage'];
export type ProductionWorkReportInput = BodyOf<'reportProductionWork'>;
export type ProductionExecutionListQuery = QueryOf<'listProductionWorkReports'>;
export type PieceRate = Schemas['PieceRate'];
export type PieceRatePage = Schemas['PieceRatePage'];
export type PieceRateQuery = QueryOf<'listPieceRates'>;
export type CreatePieceRateInput = BodyOf<'createPieceRate'>;
export type ProductionWageReport = Schemas['ProductionWageReport'];
export type ProductionWageReportQuery = QueryOf<'getProductionWageReport'>;
export type ProductionReceipt = Schemas['ProductionReceipt'];
export type ProductionReceiptPage = Schemas['ProductionReceiptPage'];
export type PostProductionReceiptInput = BodyOf<'postProductionReceipt'>;
export type ProductionGenealogy = Schemas['ProductionGenealogy'];
export type ProductionGenealogyQuery = QueryOf<'traceGenealogyBackward'>;
export type DispatchProductionOperationInput = BodyOf<'dispatchProductionOperation'>;
export type ProductionDispatchChange = Schemas['ProductionDispatchChange'];
export type ProductionDispatchChangePage = Schemas['ProductionDispatchChangePage'];
export type ProductionDispatchList = Schemas['ProductionDispatchList'];
export type ProductionDispatchListQuery = QueryOf<'getProductionDispatchList'>;

// Equipment and edge gateways (S1-5.4.6, S1-4.2.3).
export type Equipment = Schemas['Equipment'];
export type EquipmentSummary = Schemas['EquipmentSummary'];
export type EquipmentPage = Schemas['EquipmentPage'];
export type EquipmentQuery = QueryOf<'listEquipment'>;
export type CreateEquipmentInput = BodyOf<'createEquipment'>;
export type UpdateEquipmentInput = BodyOf<'updateEquipment'>;
export type EquipmentStatus = Schemas['EquipmentStatus'];
export type EquipmentStateHistory = Schemas['EquipmentStateHistory'];
export type EquipmentIndicators = Schemas['EquipmentIndicators'];
export type EquipmentPeriodQuery = QueryOf<'getEquipmentIndicators'>;
export type EquipmentSeries = Schemas['EquipmentSeries'];
export type EquipmentAlarmRoutes = Schemas['EquipmentAlarmRoutes'];
export type ProductionOrderEnergy = Schemas['ProductionOrderEnergy'];
export type EquipmentAlarmNotices = Schemas['EquipmentAlarmNotices'];
export type EquipmentSeriesQuery = QueryOf<'getEquipmentSeries'>;
export type EquipmentIntactRate = Schemas['EquipmentIntactRate'];
export type EquipmentFleetPeriodQuery = QueryOf<'getEquipmentIntactRate'>;
export type EquipmentCapacityReport = Schemas['EquipmentCapacityReport'];
export type EquipmentCapacityQuery = QueryOf<'getEquipmentCapacity'>;
export type EquipmentAlarm = Schemas['EquipmentAlarm'];
export type EquipmentAlarmPage = Schemas['EquipmentAlarmPage'];
export type EquipmentAlarmQuery = QueryOf<'listEquipmentAlarms'>;
export type AcknowledgeAlarmInput = BodyOf<'acknowledgeEquipmentAlarm'>;
export type DeviceCommand = Schemas['DeviceCommand'];
export type DeviceCommandInput = BodyOf<'sendDeviceCommand'>;
export type Gateway = Schemas['Gateway'];
export type GatewaySummary = Schemas['GatewaySummary'];
export type GatewayPage = Schemas['GatewayPage'];
export type GatewayQuery = QueryOf<'listGateways'>;
export type RegisterGatewayInput = BodyOf<'registerGateway'>;
export type UpdateGatewayInput = BodyOf<'updateGateway'>;
export type GatewayConfig = Schemas['GatewayConfig'];
export type PutGatewayConfigInput = BodyOf<'putGatewayConfig'>;
/** The unified data format of a reading (S1-5.3.8-b), as gateways upload it. */
export type TelemetryRecord = Schemas['TelemetryRecord'];
export type TelemetryBatchAnswer = Schemas['TelemetryBatchAnswer'];
export type MaterialPlanning = Schemas['MaterialPlanning'];
export type PutMaterialPlanningInput = BodyOf<'putMaterialPlanning'>;
export type RunMrpInput = BodyOf<'runMrp'>;
export type MrpRun = Schemas['MrpRun'];
export type MrpRunSummary = Schemas['MrpRunSummary'];
export type MrpRunPage = Schemas['MrpRunPage'];
export type MrpRunQuery = QueryOf<'getMrpRun'>;
export type MrpRunListQuery = QueryOf<'listMrpRuns'>;
export type MrpFirmResult = Schemas['MrpFirmResult'];
export type Kitting = Schemas['Kitting'];
export type ProductionSchedule = Schemas['ProductionSchedule'];
export type ScheduleInput = BodyOf<'scheduleProduction'>;
/** The schedule as written, with how many orders and operations it changed. */
export type AppliedProductionSchedule = Schemas['AppliedProductionSchedule'];
/** The shop-floor board (S1-5.4.4-l): per workshop, work centre and open order; `lastSeq` is where the feed continues. */
export type ProductionProgress = Schemas['ProductionProgress'];
export type ProductionOrderProgress = Schemas['ProductionOrderProgress'];
export type ProductionProgressQuery = QueryOf<'getProductionProgress'>;

// Data import (S1-7.3-a).
export type ImportJob = Schemas['ImportJob'];
export type ImportError = Schemas['ImportError'];
/** What a file is: its kind (or auto) and name; dryRun validates only. */
export type ImportQuery = QueryOf<'createImport'>;
export type ImportKind = QueryOf<'getImportTemplate'>['kind'];
export type ImportTemplateQuery = Omit<QueryOf<'getImportTemplate'>, 'kind'>;

// Quality (S1-5.4.5 a, b, c, e).
export type QualityDefectCode = Schemas['QualityDefectCode'];
export type QualityDefectCodePage = Schemas['QualityDefectCodePage'];
export type CreateQualityDefectCodeInput = BodyOf<'createQualityDefectCode'>;
export type QualityStandard = Schemas['QualityStandard'];
export type QualityStandardPage = Schemas['QualityStandardPage'];
export type QualityStandardQuery = QueryOf<'listQualityStandards'>;
export type CreateQualityStandardInput = BodyOf<'createQualityStandard'>;
export type QualityPlan = Schemas['QualityPlan'];
export type QualityPlanPage = Schemas['QualityPlanPage'];
export type QualityPlanQuery = QueryOf<'listQualityPlans'>;
export type CreateQualityPlanInput = BodyOf<'createQualityPlan'>;
export type QualityPatrolDueInput = BodyOf<'runQualityPatrol'>;
export type UpdateQualityPlanInput = BodyOf<'updateQualityPlan'>;
export type UpdateQualityStandardInput = BodyOf<'updateQualityStandard'>;
export type ReplaceQualityStandardItemsInput = BodyOf<'replaceQualityStandardItems'>;
export type QualitySamplingPlan = Schemas['QualitySamplingPlan'];
export type QualitySamplingPlanQuery = QueryOf<'getQualitySamplingPlan'>;
export type QualitySwitchingState = Schemas['QualitySwitchingState'];
export type QualitySwitchingQuery = QueryOf<'getQualitySwitchingState'>;
export type QualityInspection = Schemas['QualityInspection'];
export type QualityInspectionSummary = Schemas['QualityInspectionSummary'];
export type QualityInspectionPage = Schemas['QualityInspectionPage'];
export type QualityInspectionList = Schemas['QualityInspectionList'];
export type QualityInspectionQuery = QueryOf<'listQualityInspections'>;
export type CreateQualityInspectionInput = BodyOf<'createQualityInspection'>;
export type QualityResultsInput = BodyOf<'recordQualityInspectionResults'>;
export type QualityReviewInput = BodyOf<'reviewQualityInspection'>;
export type QualityDispositionInput = BodyOf<'disposeQualityInspection'>;
export type QualityDefectPareto = Schemas['QualityDefectPareto'];
export type QualityDefectParetoQuery = QueryOf<'getQualityDefectPareto'>;
export type QualityFirstPassYield = Schemas['QualityFirstPassYield'];
export type QualitySupplierPpm = Schemas['QualitySupplierPpm'];
export type QualityLeadTimes = Schemas['QualityLeadTimes'];
export type QualityReportPeriod = QueryOf<'getQualityFirstPassYield'>;
export type QualityControlChart = Schemas['QualityControlChart'];
export type QualityControlChartQuery = QueryOf<'getQualityControlChart'>;
// Traceability (S1-5.4.5-d).
export type Trace = Schemas['Trace'];
export type TraceQuery = QueryOf<'traceBatch'>;
export type Recall = Schemas['Recall'];
export type RecallQuery = QueryOf<'getRecallReport'>;
// Go-live cutover (S1-7.2, S1-7.3).
export type Cutover = Schemas['Cutover'];
export type CutoverStep = Schemas['CutoverStep'];
export type CutoverPage = Schemas['CutoverPage'];
export type CutoverSummary = Schemas['CutoverSummary'];
export type PlanCutoverInput = BodyOf<'planCutover'>;
/** What the client reports of a step it ran: the import jobs, or the reconciliation's differences. */
export type RunCutoverStepInput = BodyOf<'runCutoverStep'>;
export type CutoverStepKey = 'freeze' | 'backup' | 'clean' | 'import-master-data' | 'initialise-inventory' | 'backfill-open-documents' | 'reconcile' | 'unfreeze';
