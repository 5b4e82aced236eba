import type { ModuleDef } from '../../app/module';

/** Sales (S1-5.4.1): customers, orders with approval, delivery plans; PDA pick and ship by scanning with FIFO suggestions. */
const sales: ModuleDef = {
  id: 'sales',
  title: 'sales:menu',
  icon: 'shop',
  messages: {
    'zh-CN': {
      menu: '销售',
      customers: { title: '客户', help: '客户档案：编码、名称、地址、税号、统一社会信用代码、结算方式。', new: '新建客户', code: '客户编码', name: '名称', address: '地址', uscc: '统一社会信用代码', search: '编码或名称' },
      orders: { title: '销售订单', help: '新建销售订单（草稿），审核后可安排发货计划。', new: '新建销售订单', docNo: '订单号', customer: '客户', status: '状态', orderDate: '订单日期', total: '含税金额', material: '物料', quantity: '数量', price: '单价（不含税）', deliveryDate: '交货日期', approve: '审核', cancel: '作废', close: '关闭', approved: '已审核 {{docNo}}' },
      plans: { title: '发货计划', help: '把已审核订单的行安排到一次发货：计划日期、数量。仓库按发货计划拣货出库。', new: '新建发货计划', docNo: '计划单号', customer: '客户', plannedDate: '计划发货日期', status: '状态', orderDocNo: '订单号', lineNo: '订单行号', quantity: '数量' },
      outbounds: { title: '销售出库', help: '按发货计划出库的单据；草稿可在手持终端上扫码，过账后扣减库存。', docNo: '出库单号', plan: '发货计划', status: '状态', post: '过账', createdAt: '创建时间' },
      pdaShip: { title: '扫码拣货发货', help: '选择发货计划和仓库，按先进先出建议的批次和库位拣货，扫描每件货物，最后过账出库。', plan: '发货计划', warehouse: '发货仓库', start: '开始拣货', fifo: '先进先出建议', pick: '拣', at: '于', item: '扫描货物条码', quantity: '数量', scanned: '已扫描', post: '过账出库', posted: '已出库：{{docNo}}', none: '没有待发货的计划', bin: '库位', batch: '批次' },
    },
    en: {
      menu: 'Sales',
      customers: { title: 'Customers', help: 'Customer records: code, name, address, tax number, unified social credit code, settlement.', new: 'New customer', code: 'Customer code', name: 'Name', address: 'Address', uscc: 'Unified social credit code', search: 'Code or name' },
      orders: { title: 'Sales orders', help: 'Create a sales order (a draft); once approved it can be planned for delivery.', new: 'New sales order', docNo: 'Order no.', customer: 'Customer', status: 'Status', orderDate: 'Order date', total: 'Total incl. tax', material: 'Material', quantity: 'Quantity', price: 'Unit price (excl. tax)', deliveryDate: 'Delivery date', approve: 'Approve', cancel: 'Cancel', close: 'Close', approved: 'Approved {{docNo}}' },
      plans: { title: 'Delivery plans', help: 'Put lines of approved orders on one delivery: date and quantities. The warehouse picks and ships against the plan.', new: 'New delivery plan', docNo: 'Plan no.', customer: 'Customer', plannedDate: 'Planned date', status: 'Status', orderDocNo: 'Order no.', lineNo: 'Order line', quantity: 'Quantity' },
      outbounds: { title: 'Sales outbounds', help: 'Shipments against delivery plans; a draft is scanned on the PDA, posting takes the stock out.', docNo: 'Outbound no.', plan: 'Delivery plan', status: 'Status', post: 'Post', createdAt: 'Created' },
      pdaShip: { title: 'Pick and ship by scanning', help: 'Choose the delivery plan and warehouse, pick the batches and bins first-in-first-out suggests, scan each item, then post the shipment.', plan: 'Delivery plan', warehouse: 'Ship from', start: 'Start picking', fifo: 'First-in-first-out suggestion', pick: 'Pick', at: 'at', item: 'Scan the item label', quantity: 'Quantity', scanned: 'Scanned', post: 'Post shipment', posted: 'Shipped: {{docNo}}', none: 'No delivery plan is waiting', bin: 'Bin', batch: 'Batch' },
    },
  },
  pages: [
    { path: 'sales/orders', title: 'sales:orders.title', permission: 'sales:read', load: () => import('./pages/Orders') },
    { path: 'sales/delivery-plans', title: 'sales:plans.title', permission: 'sales:read', load: () => import('./pages/DeliveryPlans') },
    { path: 'sales/outbounds', title: 'sales:outbounds.title', permission: 'sales:read', load: () => import('./pages/Outbounds') },
    { path: 'sales/customers', title: 'sales:customers.title', permission: 'sales:read', load: () => import('./pages/Customers') },
  ],
  pda: [{ path: 'ship', title: 'sales:pdaShip.title', permission: 'sales:ship', load: () => import('./pages/PdaShip') }],
};
export default sales;
