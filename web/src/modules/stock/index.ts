import type { ModuleDef } from '../../app/module';

/** Stock (S1-5.4.3): balances, the ledger, stock documents, counting, reports; PDA count entry; the stock board. */
const stock: ModuleDef = {
  id: 'stock',
  title: 'stock:menu',
  icon: 'inbox',
  messages: {
    'zh-CN': {
      menu: '仓储',
      movementType: { purchase_in: '采购入库', purchase_return: '采购退货', sales_out: '销售出库', sales_return: '销售退货', issue: '生产领料', return: '生产退料', production_in: '生产入库', transfer_out: '调出', transfer_in: '调入', count_gain: '盘盈', count_loss: '盘亏', other_in: '其他入库', other_out: '其他出库' },
      sourceType: { stock_document: '其他出入库单', purchase_inbound: '采购入库单', purchase_return: '采购退货单', sales_outbound: '销售出库单', sales_return: '销售退货单', count_sheet: '盘点单' },
      balances: { title: '库存查询', help: '实时库存：每个物料在每个仓库、库位、批次的数量（基本单位）。可按物料、仓库、批次筛选并导出。', material: '物料', materialCode: '物料编码', warehouse: '仓库', bin: '库位', batch: '批次', serial: '序列号', quantity: '数量', unit: '单位', includeZero: '含零库存', category: '分类' },
      movements: { title: '出入库流水', help: '库存台账：每一笔出入库，按过账顺序。数量带正负号（入库为正）。', type: '类型', occurredAt: '时间', source: '来源单据', postedBy: '过账人', from: '从', to: '到' },
      documents: { title: '其他出入库', help: '其他入库、其他出库和调拨单。新建时可直接过账；已过账的单据只能冲销。', new: '新建单据', docNo: '单号', type: '类型', status: '状态', reason: '原因', post: '立即过账', createdAt: '创建时间', other_in: '其他入库', other_out: '其他出库', transfer: '调拨', backflush_transfer: '倒冲调拨', postNow: '过账', reverse: '冲销', toWarehouse: '调入仓库' },
      counting: { title: '盘点', help: '盘点单快照账面数量，盘点员录入实盘，过账盘盈盘亏使账实相符。', new: '新建盘点单', sheetNo: '盘点单号', warehouse: '仓库', status: '状态', blind: '盲盘', createdAt: '创建时间', post: '过账差异', cancel: '作废' },
      reports: { title: '库存报表', help: '收发存汇总（期初、收入、发出、结存）和低于安全库存的短缺。', summary: '收发存汇总', shortages: '短缺', from: '开始日期', to: '结束日期', opening: '期初', receipts: '收入', issues: '发出', closing: '结存', onHand: '现存', level: '安全库存', shortfall: '缺口' },
      pdaCount: { title: '盘点录入', help: '选择盘点单，扫描库位和物料条码，输入实盘数量。', sheet: '盘点单', location: '库位条码（可选）', item: '物料条码', quantity: '实盘数量', add: '记录', recorded: '已记录 {{material}} × {{quantity}}', none: '没有进行中的盘点单' },
      board: { title: '库存看板', stock: '库存', shortages: '短缺物料', recent: '最新出入库', materials: '物料数', balances: '库存记录' },
    },
    en: {
      menu: 'Stock',
      movementType: { purchase_in: 'Purchase receipt', purchase_return: 'Purchase return', sales_out: 'Sales issue', sales_return: 'Sales return', issue: 'Material issue', return: 'Material return', production_in: 'Production receipt', transfer_out: 'Transfer out', transfer_in: 'Transfer in', count_gain: 'Count gain', count_loss: 'Count loss', other_in: 'Other receipt', other_out: 'Other issue' },
      sourceType: { stock_document: 'Stock document', purchase_inbound: 'Purchase inbound', purchase_return: 'Purchase return', sales_outbound: 'Sales outbound', sales_return: 'Sales return', count_sheet: 'Count sheet' },
      balances: { title: 'Stock on hand', help: 'Real-time stock: each material in each warehouse, bin and batch, in its base unit. Filter by material, warehouse or batch, and export.', material: 'Material', materialCode: 'Material code', warehouse: 'Warehouse', bin: 'Bin', batch: 'Batch', serial: 'Serial', quantity: 'Quantity', unit: 'Unit', includeZero: 'Include zero', category: 'Category' },
      movements: { title: 'Stock ledger', help: 'Every receipt and issue in posting order. Quantities are signed (receipts positive).', type: 'Type', occurredAt: 'Time', source: 'Source document', postedBy: 'Posted by', from: 'From', to: 'To' },
      documents: { title: 'Other receipts and issues', help: 'Other receipts, other issues and transfers. Post at once when you create one; a posted document can only be reversed.', new: 'New document', docNo: 'Document no.', type: 'Type', status: 'Status', reason: 'Reason', post: 'Post at once', createdAt: 'Created', other_in: 'Other receipt', other_out: 'Other issue', transfer: 'Transfer', backflush_transfer: 'Backflush transfer', postNow: 'Post', reverse: 'Reverse', toWarehouse: 'To warehouse' },
      counting: { title: 'Stock counts', help: 'A count sheet snapshots the book; counters enter what they find; posting the variances makes the books match reality.', new: 'New count sheet', sheetNo: 'Sheet no.', warehouse: 'Warehouse', status: 'Status', blind: 'Blind count', createdAt: 'Created', post: 'Post variances', cancel: 'Cancel' },
      reports: { title: 'Stock reports', help: 'Receipts, issues and balances over a period, and materials below their safety stock.', summary: 'Receipts and issues', shortages: 'Shortages', from: 'From', to: 'To', opening: 'Opening', receipts: 'Receipts', issues: 'Issues', closing: 'Closing', onHand: 'On hand', level: 'Safety stock', shortfall: 'Shortfall' },
      pdaCount: { title: 'Count entry', help: 'Choose the count sheet, scan the bin and the item, enter what you counted.', sheet: 'Count sheet', location: 'Bin label (optional)', item: 'Item label', quantity: 'Counted', add: 'Record', recorded: 'Recorded {{material}} × {{quantity}}', none: 'No count sheet is open' },
      board: { title: 'Stock board', stock: 'Stock', shortages: 'Shortages', recent: 'Latest movements', materials: 'Materials', balances: 'Balances' },
    },
  },
  pages: [
    { path: 'stock/balances', title: 'stock:balances.title', permission: 'inventory:read', load: () => import('./pages/Balances') },
    { path: 'stock/movements', title: 'stock:movements.title', permission: 'inventory:read', load: () => import('./pages/Movements') },
    { path: 'stock/documents', title: 'stock:documents.title', permission: 'inventory:read', load: () => import('./pages/Documents') },
    { path: 'stock/counting', title: 'stock:counting.title', permission: 'inventory:read', load: () => import('./pages/Counting') },
    { path: 'stock/reports', title: 'stock:reports.title', permission: 'inventory:read', load: () => import('./pages/Reports') },
  ],
  pda: [{ path: 'count', title: 'stock:pdaCount.title', permission: 'inventory:write', load: () => import('./pages/PdaCount') }],
  boards: [{ path: 'stock', title: 'stock:board.title', permission: 'inventory:read', load: () => import('./pages/StockBoard') }],
};
export default stock;
