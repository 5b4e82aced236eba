import type { ModuleDef } from '../../app/module';

/** Purchasing (S1-5.4.2): suppliers, orders with approval, receiving, incoming inspection; PDA receiving by scan. */
const purchasing: ModuleDef = {
  id: 'purchasing',
  title: 'purchasing:menu',
  icon: 'cart',
  messages: {
    'zh-CN': {
      menu: '采购',
      suppliers: { title: '供应商', help: '供应商档案：编码、名称、税号、统一社会信用代码、银行账户、结算方式。', new: '新建供应商', code: '供应商编码', name: '名称', taxNo: '税号', uscc: '统一社会信用代码', address: '地址', settlement: '结算方式', search: '编码或名称' },
      orders: { title: '采购订单', help: '新建采购订单（草稿），审核后供应商可送货，仓库按订单收货。', new: '新建采购订单', docNo: '订单号', supplier: '供应商', status: '状态', createdAt: '创建时间', material: '物料', quantity: '数量', price: '单价', neededBy: '需求日期', approve: '审核', cancel: '作废', close: '关闭', approved: '已审核 {{docNo}}' },
      receipts: { title: '收货单', help: '按采购订单收到的货物。收货后待检验，检验合格才入库。', docNo: '收货单号', order: '采购订单', status: '状态', createdAt: '收货时间', pending: '只看待检' },
      inspection: { title: '来料检验', help: '待检验的收货。填写合格和不合格数量：合格的入库到所选仓库，不合格的退回供应商。', receipt: '收货单', line: '行', material: '物料', received: '收到', accepted: '合格数量', rejected: '不合格数量', warehouse: '入库仓库', inspect: '提交检验', done: '检验已记录，{{docNo}} 已入库', none: '没有待检验的收货' },
      pdaReceive: { title: '扫码收货', help: '扫描或选择采购订单，再扫描物料条码并输入数量，确认后生成收货单。', order: '采购订单', scanOrder: '扫描订单号或选择', item: '物料条码', quantity: '收货数量', add: '加入', lines: '本次收货', submit: '确认收货', done: '已收货：{{docNo}}（待检验）', unknown: '此条码不是本订单上的物料' },
    },
    en: {
      menu: 'Purchasing',
      suppliers: { title: 'Suppliers', help: 'Supplier records: code, name, tax number, unified social credit code, bank account, settlement.', new: 'New supplier', code: 'Supplier code', name: 'Name', taxNo: 'Tax number', uscc: 'Unified social credit code', address: 'Address', settlement: 'Settlement', search: 'Code or name' },
      orders: { title: 'Purchase orders', help: 'Create a purchase order (a draft); once approved the supplier delivers and the warehouse receives against it.', new: 'New purchase order', docNo: 'Order no.', supplier: 'Supplier', status: 'Status', createdAt: 'Created', material: 'Material', quantity: 'Quantity', price: 'Unit price', neededBy: 'Needed by', approve: 'Approve', cancel: 'Cancel', close: 'Close', approved: 'Approved {{docNo}}' },
      receipts: { title: 'Receipts', help: 'Goods received against purchase orders. They wait for inspection and become stock only when accepted.', docNo: 'Receipt no.', order: 'Purchase order', status: 'Status', createdAt: 'Received', pending: 'Awaiting inspection only' },
      inspection: { title: 'Incoming inspection', help: 'Receipts awaiting inspection. Enter the accepted and rejected quantities: accepted goes into the chosen warehouse, rejected back to the supplier.', receipt: 'Receipt', line: 'Line', material: 'Material', received: 'Received', accepted: 'Accepted', rejected: 'Rejected', warehouse: 'Into warehouse', inspect: 'Record inspection', done: 'Inspection recorded; {{docNo}} is in stock', none: 'Nothing awaits inspection' },
      pdaReceive: { title: 'Receive by scanning', help: 'Scan or choose the purchase order, scan each item and enter the quantity, then confirm to create the receipt.', order: 'Purchase order', scanOrder: 'Scan the order number or choose', item: 'Item label', quantity: 'Quantity received', add: 'Add', lines: 'This receipt', submit: 'Confirm receipt', done: 'Received: {{docNo}} (awaiting inspection)', unknown: 'This label is not a material of this order' },
    },
  },
  pages: [
    { path: 'purchasing/orders', title: 'purchasing:orders.title', permission: 'purchasing:read', load: () => import('./pages/Orders') },
    { path: 'purchasing/receipts', title: 'purchasing:receipts.title', permission: 'purchasing:read', load: () => import('./pages/Receipts') },
    { path: 'purchasing/inspection', title: 'purchasing:inspection.title', permission: 'quality:inspect', load: () => import('./pages/Inspection') },
    { path: 'purchasing/suppliers', title: 'purchasing:suppliers.title', permission: 'purchasing:read', load: () => import('./pages/Suppliers') },
  ],
  pda: [{ path: 'receive', title: 'purchasing:pdaReceive.title', permission: 'purchasing:receive', load: () => import('./pages/PdaReceive') }],
};
export default purchasing;
