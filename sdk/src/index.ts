export { MesClient, type MesClientOptions } from './client.js';
export { MesConnectionError, MesError, MesTimeoutError } from './errors.js';
export type { BinaryBody, StreamBody } from './http.js';
export type { EventStreamOptions, EventStreamQuery, ProductionFeedQuery } from './stream.js';
export { ROUTES } from './routes.js';
export { SDK_VERSION } from './version.js';
export type {
  EventQuery, OutboxEvent, OutboxEventPage, TenantSettings, UpdateTenantSettingsInput,
  CreateDeliveryPlanInput, CreateSalesOrderInput, CreateSalesOutboundInput, CreateSalesReturnInput, DeliveryPlan, DeliveryPlanPage, DeliveryPlanQuery,
  DeliveryPlanSummary, SalesOrder, SalesOrderPage, SalesOrderQuery, SalesOrderSummary, SalesOutbound, SalesOutboundPage,
  SalesOutboundQuery, SalesOutboundSummary, SalesProgressPage, SalesProgressQuery, SalesProgressRow, SalesReturn, SalesReturnPage, SalesReturnQuery,
  SalesReturnSummary, ScanSalesOutboundInput, UpdateDeliveryPlanInput, UpdateSalesOrderInput,
  ApiKey, ApiKeyPage, CreateOrgGroupInput, CreateOrgPersonInput, CreatePartnerInput, OrgGroup, OrgGroupList, OrgPerson, OrgPersonList, Partner, PartnerPage, PartnerQuery, UpdatePartnerInput, AuditPage, AuditQuery, AuditRecord, Balance, BalanceExportQuery, BalancePage, BalanceQuery, Batch, BatchList, Bin, BinList, BodyOf, ChainVerdict,
  CodeContextInput, CodePreview, CodingRule, CodingRuleList, ConversionResult, ConvertQuery, CountEntriesInput, CountEntriesResult, CountEntryInput,
  CountSheet, CountSheetListQuery, CountSheetPage, CountSheetQuery, CountSheetSummary, CreateApiKeyInput, CreateBinInput, CreateCountSheetInput,
  CreatedApiKey, CreatedTenant, CreateFeatureInput, CreateLabelInput, CreateMaterialInput, CreateStockDocumentInput, CreateTenantInput,
  CreateUnitConversionInput, CreateUnitInput, CreateUserInput, CreateVariantInput, CreateWarehouseInput, Diagnostics, Feature, FeatureList,
  FieldError, FifoQuery, FifoSuggestion, Gs1Fields, Health, LoginInput, Material, MaterialLabelQuery, MaterialPage, MaterialQuery, Me, Movement,
  MovementPage, MovementQuery, MutationOptions, OperationId, PageQuery, PathOf, Plan, PlanList, PostCountSheetInput, Problem, PutCodingRuleInput,
  QueryOf, RequestOptions, ResolveBarcodeInput, ResolvedBarcode, ReverseStockDocumentInput, Role, RoleList, SafetyStock, SafetyStockPage,
  SafetyStockReportQuery, SafetyStockRow, SetSafetyStockInput, StockDocument, StockDocumentPage, StockDocumentQuery, StockDocumentSummary,
  StockLineInput, StockSummaryExportQuery, StockSummaryPage, StockSummaryQuery, StockSummaryRow, SuccessOf, Tenant, TenantPage, Token, Unit,
  UnitConversion, UnitConversionList, UnitConversionQuery, UnitList, UpdateFeatureInput, UpdateMaterialInput, UpdateTenantInput, UpdateUserInput,
  UpdateWarehouseInput, User, UserPage, Warehouse, WarehouseList,
} from './types.js';
/** Purchasing. */
export type {
  SupplierMaterial, SupplierMaterialList, SupplierMaterialQuery, PutSupplierMaterialInput, PurchaseOrder, PurchaseOrderLine, PurchaseOrderSummary, PurchaseOrderPage, PurchaseOrderQuery, CreatePurchaseOrderInput, UpdatePurchaseOrderInput, PurchaseOrderActionInput, SalesOrderActionInput, DocumentVersion, DocumentVersionList, PurchaseSuggestionInput, PurchaseSuggestionResult, PurchaseReceipt, PurchaseReceiptLine, PurchaseReceiptSummary, PurchaseReceiptPage, PurchaseReceiptQuery, CreatePurchaseReceiptInput, PurchaseLabel, PurchaseLabelList, IncomingInspection, InspectPurchaseReceiptInput, InspectionResult, PurchaseInbound, PurchaseInboundSummary, PurchaseInboundPage, PurchaseDocumentQuery, PurchaseReturn, PurchaseReturnSummary, PurchaseReturnPage, CreatePurchaseReturnInput, PurchasingProgressRow, PurchasingProgressPage, PurchasingProgressQuery,
} from './types.js';
/** Backups. */
export type { BackupDrill, BackupDrillPage, CreateBackupInput, StartBackupDrillInput, TenantRestore, TenantRestoreQuery } from './types.js';
/** The plant model and production. */
export type {
  Bom, BomExplosion, BomExplosionQuery, BomPage, BomQuery, BomSummary, BomWhereUsed, BomWhereUsedQuery, Calendar, CalendarPage, CalendarSummary, CapacityQuery,
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
/** Equipment and edge gateways. */
export type {
  AcknowledgeAlarmInput, CreateEquipmentInput, DeviceCommand, DeviceCommandInput, Equipment, EquipmentAlarm, EquipmentAlarmPage, EquipmentAlarmQuery, EquipmentIndicators, EquipmentPage, EquipmentPeriodQuery, EquipmentQuery, EquipmentSeries, EquipmentSeriesQuery, EquipmentIntactRate, EquipmentFleetPeriodQuery, EquipmentCapacityReport, EquipmentCapacityQuery, EquipmentAlarmRoutes, EquipmentAlarmNotices, ProductionOrderEnergy, EquipmentStateHistory, EquipmentStatus, EquipmentSummary, Gateway, GatewayConfig, GatewayPage, GatewayQuery, GatewaySummary, PutGatewayConfigInput, RegisterGatewayInput, TelemetryBatchAnswer, TelemetryRecord, UpdateEquipmentInput, UpdateGatewayInput,
} from './types.js';
/** Production planning: MRP runs, planning parameters, kitting, scheduling. */
export type { Kitting, MaterialPlanning, MrpFirmResult, MrpRun, MrpRunListQuery, MrpRunPage, MrpRunQuery, MrpRunSummary, ProductionSchedule, PutMaterialPlanningInput, RunMrpInput, ScheduleInput, AppliedProductionSchedule, ProductionProgress, ProductionOrderProgress, ProductionProgressQuery } from './types.js';
/** Quality. */
export type {
  CreateQualityDefectCodeInput, CreateQualityInspectionInput, CreateQualityPlanInput, CreateQualityStandardInput, QualityDefectCode, QualityDefectCodePage,
  QualityDispositionInput, QualityInspection, QualityInspectionList, QualityInspectionPage, QualityInspectionQuery, QualityInspectionSummary, QualityPlan,
  QualityPlanPage, QualityPlanQuery, QualityResultsInput, QualityReviewInput, QualitySamplingPlan, QualitySamplingPlanQuery, QualityStandard, QualityStandardPage,
  QualityStandardQuery, QualitySwitchingQuery, QualitySwitchingState,
  QualityControlChart, QualityControlChartQuery, QualityDefectPareto, QualityDefectParetoQuery, QualityFirstPassYield, QualityLeadTimes, QualityReportPeriod, QualitySupplierPpm,
} from './types.js';
/** Data import. */
export type { ImportError, ImportJob, ImportKind, ImportQuery, ImportTemplateQuery } from './types.js';
export type { Recall, RecallQuery, Trace, TraceQuery } from './types.js';
export type { Cutover, CutoverPage, CutoverStep, CutoverStepKey, CutoverSummary, PlanCutoverInput, RunCutoverStepInput } from './types.js';
/** The raw generated OpenAPI types, for anything the named aliases do not cover. */
export type { components, operations, paths } from './generated/openapi.js';
