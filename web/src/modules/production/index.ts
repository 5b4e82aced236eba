import type { ModuleDef } from '../../app/module';

/** Production (S1-5.4.4): production orders (release, life cycle), their operations and work reports; PDA work reporting; the workshop e-kanban board. */
const production: ModuleDef = {
  id: 'production',
  title: 'production:menu',
  icon: 'build',
  messages: {
    'zh-CN': {
      menu: '生产',
      source: { manual: '手工', sales_demand: '销售需求', safety_stock: '安全库存', mrp: 'MRP' },
      orders: {
        title: '生产工单', help: '新建计划工单，审核（如需要）后下达：下达时工单获得自己的工序和用料。点击单号查看工序进度和报工。',
        new: '新建工单', docNo: '工单号', product: '产品', quantity: '数量', unit: '单位', status: '状态', plannedStart: '计划开工', plannedFinish: '计划完工',
        dueDate: '交期', priority: '优先级', remark: '备注', dueFrom: '交期从', dueTo: '交期到', source: '来源', createdAt: '创建时间',
      },
      order: {
        title: '工单 {{docNo}}', help: '工单的工序、用料和报工。计划状态的工单可下达；下达后在 PDA 上开工、暂停、报工。',
        back: '返回工单列表', approve: '审核', release: '下达', cancel: '作废', complete: '完工', close: '关闭', confirm: '确定要{{action}}工单 {{docNo}} 吗？',
        done: '已{{action}} {{docNo}}', operations: '工序', components: '用料', reports: '报工记录', bom: 'BOM 版本', routing: '工艺路线', received: '已入库', scrapped: '已报废',
        version: '版本', workshop: '车间', line: '产线', approvedBy: '审核人', releasedBy: '下达人', noOperations: '下达后才有工序。',
      },
      operation: { seq: '工序号', name: '工序', workCentre: '工作中心', status: '状态', good: '合格', scrap: '报废', pending: '待检', plannedMinutes: '计划工时（分钟）', actualStart: '实际开工' },
      component: { line: '行号', material: '物料', required: '需求数量', issued: '已发料', backflushed: '已倒冲', operationSeq: '工序号' },
      reports: {
        title: '报工记录', help: '选择工单，查看它的每一笔报工：合格、报废、待检数量、操作员和计件工资。', order: '工单', chooseOrder: '请先选择工单。',
        docNo: '报工单号', operation: '工序', good: '合格', scrap: '报废', pending: '待检', operator: '操作员', endedAt: '报工时间', wage: '计件工资', scrapReason: '报废原因',
      },
      pdaReport: {
        title: '报工', help: '扫描或选择工单，选择工序，开工、暂停、恢复，完工时录入合格和报废数量。', order: '工单（扫描工单号）', chooseOrder: '选择工单',
        operation: '工序', operator: '操作员工号', start: '开工', pause: '暂停', resume: '恢复', reason: '暂停原因', good: '合格数量', scrap: '报废数量',
        scrapReason: '报废原因', end: '本工序完工', report: '提交报工', reported: '已报工 {{docNo}}：合格 {{good}}，报废 {{scrap}}', event: '工序 {{seq}} 已{{event}}',
        notFound: '没有找到工单 {{code}}（只能对已下达或生产中的工单报工）', none: '没有已下达的工单',
      },
      kanban: {
        title: '车间生产看板', titleOf: '车间生产看板 · {{workshop}}', overview: '概况', workshops: '选择车间', allWorkshops: '全部车间',
        kpi: { open: '在制工单', late: '延期工单', running: '进行中工序', paused: '暂停工序', done: '已完工工序' },
        orders: '在制工单进度（延期的在前）', page: '第 {{n}}/{{of}} 页', none: '没有已下达或生产中的工单。', active: '正在进行的工序', noneActive: '现在没有进行中的工序。', centres: '各工作中心工序状态',
        late_other: '延期 {{count}} 天', progressOf: '工单 {{order}} 的完成进度',
        ops: { inProgress: '进行中', paused: '暂停', pending: '未开工', completed: '已完工' },
        col: { order: '工单号', product: '产品', planned: '计划数', good: '合格', scrap: '报废', progress: '完成进度', operation: '当前工序', status: '状态', finish: '计划完工', station: '工位', operator: '操作员', state: '状态', since: '开始于' },
      },
      event: { start: '开工', pause: '暂停', resume: '恢复', end: '完工' },
    },
    en: {
      menu: 'Production',
      source: { manual: 'Manual', sales_demand: 'Sales demand', safety_stock: 'Safety stock', mrp: 'MRP' },
      orders: {
        title: 'Production orders', help: 'Create a planned order, approve it where needed, then release it: it gets its own operations and components. Open an order number for its progress and work reports.',
        new: 'New order', docNo: 'Order no.', product: 'Product', quantity: 'Quantity', unit: 'Unit', status: 'Status', plannedStart: 'Planned start', plannedFinish: 'Planned finish',
        dueDate: 'Due', priority: 'Priority', remark: 'Remark', dueFrom: 'Due from', dueTo: 'Due to', source: 'Source', createdAt: 'Created',
      },
      order: {
        title: 'Order {{docNo}}', help: 'The order\'s operations, components and work reports. Release a planned order; then start, pause and report work on the PDA.',
        back: 'Back to the orders', approve: 'Approve', release: 'Release', cancel: 'Cancel', complete: 'Complete', close: 'Close', confirm: '{{action}} order {{docNo}}?',
        done: '{{action}}: {{docNo}}', operations: 'Operations', components: 'Components', reports: 'Work reports', bom: 'BOM revision', routing: 'Routing', received: 'Received', scrapped: 'Scrapped',
        version: 'Version', workshop: 'Workshop', line: 'Line', approvedBy: 'Approved by', releasedBy: 'Released by', noOperations: 'Operations appear when the order is released.',
      },
      operation: { seq: 'Op.', name: 'Operation', workCentre: 'Work centre', status: 'Status', good: 'Good', scrap: 'Scrap', pending: 'Pending inspection', plannedMinutes: 'Planned minutes', actualStart: 'Started' },
      component: { line: 'Line', material: 'Material', required: 'Required', issued: 'Issued', backflushed: 'Backflushed', operationSeq: 'Op.' },
      reports: {
        title: 'Work reports', help: 'Choose an order to see each of its work reports: good, scrap and pending quantities, operator and piece-rate wage.', order: 'Order', chooseOrder: 'Choose an order first.',
        docNo: 'Report no.', operation: 'Operation', good: 'Good', scrap: 'Scrap', pending: 'Pending', operator: 'Operator', endedAt: 'Reported at', wage: 'Wage', scrapReason: 'Scrap reason',
      },
      pdaReport: {
        title: 'Report work', help: 'Scan or choose the order, choose the operation, start, pause or resume it, and report good and scrap quantities.', order: 'Order (scan the order number)', chooseOrder: 'Choose the order',
        operation: 'Operation', operator: 'Operator badge', start: 'Start', pause: 'Pause', resume: 'Resume', reason: 'Reason for the pause', good: 'Good quantity', scrap: 'Scrap quantity',
        scrapReason: 'Scrap reason', end: 'Operation finished', report: 'Report', reported: 'Reported {{docNo}}: {{good}} good, {{scrap}} scrap', event: 'Operation {{seq}}: {{event}}',
        notFound: 'No order {{code}} (work is reported only on released or running orders)', none: 'No released order',
      },
      kanban: {
        title: 'Workshop production board', titleOf: 'Production board · {{workshop}}', overview: 'Overview', workshops: 'Choose the workshop', allWorkshops: 'All workshops',
        kpi: { open: 'Open orders', late: 'Late orders', running: 'Operations running', paused: 'Operations paused', done: 'Operations finished' },
        orders: 'Open orders (late ones first)', page: 'page {{n}} of {{of}}', none: 'No released or running orders.', active: 'Operations running now', noneActive: 'No operation is running now.', centres: 'Operations per work centre',
        late_one: '{{count}} day late', late_other: '{{count}} days late', progressOf: 'Progress of order {{order}}',
        ops: { inProgress: 'Running', paused: 'Paused', pending: 'Not started', completed: 'Finished' },
        col: { order: 'Order', product: 'Product', planned: 'Planned', good: 'Good', scrap: 'Scrap', progress: 'Progress', operation: 'Operation', status: 'Status', finish: 'Planned finish', station: 'Station', operator: 'Operator', state: 'State', since: 'Since' },
      },
      event: { start: 'started', pause: 'paused', resume: 'resumed', end: 'finished' },
    },
  },
  pages: [
    { path: 'production/orders', title: 'production:orders.title', permission: 'production:read', load: () => import('./pages/Orders') },
    { path: 'production/orders/:id', title: 'production:orders.title', permission: 'production:read', menu: false, load: () => import('./pages/OrderDetail') },
    { path: 'production/reports', title: 'production:reports.title', permission: 'production:read', load: () => import('./pages/WorkReports') },
  ],
  boards: [{ path: 'workshop', title: 'production:kanban.title', permission: 'production:read', load: () => import('./pages/WorkshopKanban') }],
  pda: [{ path: 'report-work', title: 'production:pdaReport.title', permission: 'production:write', load: () => import('./pages/PdaReport') }],
};
export default production;
