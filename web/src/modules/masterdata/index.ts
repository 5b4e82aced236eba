import type { ModuleDef } from '../../app/module';

/** Master data (S1-5.4.3-d/e): materials and variants, units and conversions, warehouses and bins. */
const masterdata: ModuleDef = {
  id: 'masterdata',
  title: 'masterdata:menu',
  icon: 'database',
  messages: {
    'zh-CN': {
      menu: '基础资料',
      materials: { title: '物料', help: '物料是工厂收、发、存的每一种东西。按编码或名称查找；新建时填写编码、名称和基本单位。', new: '新建物料', code: '物料编码', name: '名称', specification: '规格型号', category: '分类', baseUnit: '基本单位', purchaseUnit: '采购单位', salesUnit: '销售单位', tracking: '追踪方式', status: '状态', search: '编码或名称', label: '标签', trackingNone: '不追踪', trackingBatch: '按批次', trackingSerial: '按序列号' },
      units: { title: '计量单位', help: '单位的小数位决定了该单位数量允许的精度；换算必须精确。', new: '新建单位', code: '单位代码', name: '名称', decimals: '小数位', conversions: '单位换算', newConversion: '新建换算', from: '从单位', to: '到单位', factor: '换算系数（1 从单位 = ? 到单位）' },
      warehouses: { title: '仓库与库位', help: '仓库（普通、待检、在制）和它们的库位。点击仓库查看库位。', new: '新建仓库', code: '仓库代码', name: '名称', kind: '类型', bins: '库位', newBin: '新建库位', binCode: '库位代码', binName: '库位名称', allowNegative: '允许负库存', normal: '普通仓', quarantine: '待检仓', wip: '在制仓' },
    },
    en: {
      menu: 'Master data',
      materials: { title: 'Materials', help: 'A material is each kind of thing the factory receives, issues and stocks. Search by code or name; to add one, give its code, name and base unit.', new: 'New material', code: 'Material code', name: 'Name', specification: 'Specification', category: 'Category', baseUnit: 'Base unit', purchaseUnit: 'Purchase unit', salesUnit: 'Sales unit', tracking: 'Tracking', status: 'Status', search: 'Code or name', label: 'Label', trackingNone: 'None', trackingBatch: 'By batch', trackingSerial: 'By serial number' },
      units: { title: 'Units of measure', help: "A unit's decimals fix how precise its quantities may be; conversions must be exact.", new: 'New unit', code: 'Unit code', name: 'Name', decimals: 'Decimals', conversions: 'Unit conversions', newConversion: 'New conversion', from: 'From unit', to: 'To unit', factor: 'Factor (1 from-unit = ? to-units)' },
      warehouses: { title: 'Warehouses and bins', help: 'Warehouses (normal, quarantine, work in progress) and their bins. Open a warehouse to see its bins.', new: 'New warehouse', code: 'Warehouse code', name: 'Name', kind: 'Kind', bins: 'Bins', newBin: 'New bin', binCode: 'Bin code', binName: 'Bin name', allowNegative: 'Allow negative stock', normal: 'Normal', quarantine: 'Quarantine', wip: 'Work in progress' },
    },
  },
  pages: [
    { path: 'materials', title: 'masterdata:materials.title', permission: 'masterdata:read', load: () => import('./pages/Materials') },
    { path: 'units', title: 'masterdata:units.title', permission: 'masterdata:read', load: () => import('./pages/Units') },
    { path: 'warehouses', title: 'masterdata:warehouses.title', permission: 'masterdata:read', load: () => import('./pages/Warehouses') },
  ],
};
export default masterdata;
