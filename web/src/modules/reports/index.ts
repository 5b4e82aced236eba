import type { ModuleDef } from '../../app/module';

/** Reports at a glance (S1-4.3.7 on phones) and the sales/purchasing progress board (S1-4.3.6). */
const reports: ModuleDef = {
  id: 'reports',
  title: 'reports:menu',
  icon: 'chart',
  messages: {
    'zh-CN': {
      menu: '报表',
      progress: { title: '销售与采购进度', help: '按客户、供应商和物料汇总的订货、发货、收货和未完成数量。', sales: '销售进度', purchasing: '采购进度', partner: '客户/供应商', material: '物料', ordered: '订货', shipped: '已发货', received: '已收货', open: '未完成', unit: '单位', rate: '完成率' },
      mobileSales: { title: '销售订单', help: '最新的销售订单和状态。' },
      mobilePurchasing: { title: '采购订单', help: '最新的采购订单和状态。' },
      mobileStock: { title: '库存一览', help: '各物料的现存数量。', search: '物料编码' },
      board: { title: '销售与采购进度看板' },
    },
    en: {
      menu: 'Reports',
      progress: { title: 'Sales and purchasing progress', help: 'Ordered, shipped, received and open quantities by customer, supplier and material.', sales: 'Sales progress', purchasing: 'Purchasing progress', partner: 'Customer / supplier', material: 'Material', ordered: 'Ordered', shipped: 'Shipped', received: 'Received', open: 'Open', unit: 'Unit', rate: 'Done' },
      mobileSales: { title: 'Sales orders', help: 'The latest sales orders and where they are.' },
      mobilePurchasing: { title: 'Purchase orders', help: 'The latest purchase orders and where they are.' },
      mobileStock: { title: 'Stock at a glance', help: 'What is on hand, per material.', search: 'Material code' },
      board: { title: 'Sales and purchasing progress board' },
    },
  },
  pages: [{ path: 'reports/progress', title: 'reports:progress.title', permission: 'sales:read', load: () => import('./pages/Progress') }],
  mobile: [
    { path: 'sales', title: 'reports:mobileSales.title', permission: 'sales:read', load: () => import('./pages/MobileSales') },
    { path: 'purchasing', title: 'reports:mobilePurchasing.title', permission: 'purchasing:read', load: () => import('./pages/MobilePurchasing') },
    { path: 'stock', title: 'reports:mobileStock.title', permission: 'inventory:read', load: () => import('./pages/MobileStock') },
  ],
  boards: [{ path: 'progress', title: 'reports:board.title', permission: 'sales:read', load: () => import('./pages/ProgressBoard') }],
};
export default reports;
