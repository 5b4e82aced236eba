import type { ModuleDef } from '../../app/module';

/** Equipment (S1-5.4.6): machines with status against running standards, state history and indicators; alarms; the equipment status wall. */
const equipment: ModuleDef = {
  id: 'equipment',
  title: 'equipment:menu',
  icon: 'control',
  messages: {
    'zh-CN': {
      menu: '设备',
      state: { run: '运行', idle: '待机', down: '停机', setup: '调机', other: '其他', unknown: '无数据' },
      grade: { critical: '紧急', major: '重要', minor: '一般', warning: '提示' },
      alarmStatus: { open: '未处理', acknowledged: '已确认', cleared: '已消除' },
      create: {
        new: '新建设备', codeHelp: '网关上报数据时使用的设备名，只能用字母、数字和 - _ .', gateway: '采集网关', buildDate: '出厂日期', availableMinutes: '每日可用时间（分钟）', targetOutput: '目标产量（件/小时）',
        point: '测点编码', type: '数据类型', types: { number: '数值', boolean: '开关量', string: '文本' }, min: '正常下限', max: '正常上限',
        alarmRules: '报警规则', addRule: '添加报警规则', ruleCode: '报警代码', ruleKind: '规则类型', ruleKinds: { threshold: '超限', trend: '变化过快', fault: '故障值' },
        high: '上限（高于报警）', low: '下限（低于报警）', hysteresis: '回差', faultValue: '故障值', windowSeconds: '统计窗口（秒）', maxPerMinute: '每分钟最大变化',
      },
      list: { title: '设备台账', help: '设备档案和当前状态。点击设备编码查看实时读数、运行标准、状态历史和 OEE 等指标。', code: '设备编码', name: '名称', workshop: '车间', status: '状态' },
      detail: {
        title: '设备 {{code}}', help: '当前状态、每个测点的最新读数与运行标准的比较、状态历史和设备指标（OEE、MTBF、MTTR）。', back: '返回设备台账',
        manufacturer: '制造商', model: '型号', serialNo: '出厂编号', state: '当前状态', since: '自 {{time}}', activeAlarms: '未消除报警', outOfStandard: '超出标准的读数',
        readings: '实时读数', point: '测点', value: '读数', unit: '单位', standard: '运行标准', deviation: '偏差', time: '时间', quality: '质量', normal: '正常', low: '偏低', high: '偏高',
        history: '状态历史', period: '统计周期', h24: '最近 24 小时', d7: '最近 7 天', hours: '小时', periods: '状态区间', start: '开始', end: '结束', duration: '时长（分钟）',
        indicators: '设备指标', oee: 'OEE', availability: '时间开动率', performance: '性能开动率', mtbf: 'MTBF（小时）', mttr: 'MTTR（分钟）', failures: '故障次数', output: '产量',
        chartLabel: '{{code}} 各状态时长（小时）', none: '暂无数据',
        condition: '报警条件', or: ' 或 ', faultRule: '读数为 {{value}}', trendRule: '{{window}} 秒内每分钟变化超过 ±{{max}}',
      },
      alarms: {
        title: '设备报警', help: '设备报警，最新的在前。确认报警表示已有人在处理；报警在读数恢复正常后自动消除。', equipment: '设备', code: '报警代码', point: '测点', grade: '级别', status: '状态',
        raisedAt: '发生时间', raisedValue: '触发值', acknowledgedBy: '确认人', clearedAt: '消除时间', active: '未消除', acknowledge: '确认', confirm: '确认报警 {{code}}？', acknowledged: '已确认报警 {{code}}',
      },
      wall: { title: '设备状态墙', total: '设备', alarms: '报警 {{n}}', deviations: '超标 {{n}}', since: '持续 {{d}}', none: '没有设备' },
    },
    en: {
      menu: 'Equipment',
      state: { run: 'Running', idle: 'Idle', down: 'Down', setup: 'Setup', other: 'Other', unknown: 'No data' },
      grade: { critical: 'Critical', major: 'Major', minor: 'Minor', warning: 'Warning' },
      alarmStatus: { open: 'Open', acknowledged: 'Acknowledged', cleared: 'Cleared' },
      create: {
        new: 'New machine', codeHelp: 'The device name the gateway reports under: letters, digits and - _ .', gateway: 'Gateway', buildDate: 'Build date', availableMinutes: 'Available minutes per day', targetOutput: 'Target output per hour',
        point: 'Point', type: 'Type', types: { number: 'Number', boolean: 'On/off', string: 'Text' }, min: 'Lowest normal', max: 'Highest normal',
        alarmRules: 'Alarm rules', addRule: 'Add an alarm rule', ruleCode: 'Alarm code', ruleKind: 'Rule', ruleKinds: { threshold: 'Beyond a limit', trend: 'Changing too fast', fault: 'Fault value' },
        high: 'Alarm above', low: 'Alarm below', hysteresis: 'Hysteresis', faultValue: 'Fault value', windowSeconds: 'Window (s)', maxPerMinute: 'Max change per minute',
      },
      list: { title: 'Equipment', help: 'The machines and their state. Open a machine code for its live readings against running standards, state history and OEE.', code: 'Code', name: 'Name', workshop: 'Workshop', status: 'Status' },
      detail: {
        title: 'Machine {{code}}', help: 'Current state, the newest reading of every point against its running standard, state history and indicators (OEE, MTBF, MTTR).', back: 'Back to the equipment',
        manufacturer: 'Manufacturer', model: 'Model', serialNo: 'Serial no.', state: 'State', since: 'since {{time}}', activeAlarms: 'Active alarms', outOfStandard: 'Readings out of standard',
        readings: 'Live readings', point: 'Point', value: 'Reading', unit: 'Unit', standard: 'Running standard', deviation: 'Deviation', time: 'Time', quality: 'Quality', normal: 'Normal', low: 'Low', high: 'High',
        history: 'State history', period: 'Period', h24: 'Last 24 hours', d7: 'Last 7 days', hours: 'hours', periods: 'State periods', start: 'Start', end: 'End', duration: 'Minutes',
        indicators: 'Indicators', oee: 'OEE', availability: 'Availability', performance: 'Performance', mtbf: 'MTBF (hours)', mttr: 'MTTR (minutes)', failures: 'Failures', output: 'Output',
        chartLabel: 'Hours per state of {{code}}', none: 'No data yet',
        condition: 'Raised when', or: ' or ', faultRule: 'the reading is {{value}}', trendRule: 'it changes by more than ±{{max}} per minute over {{window}} s',
      },
      alarms: {
        title: 'Equipment alarms', help: 'Alarms, newest first. Acknowledge one to say someone is on it; an alarm clears itself when the reading is back to normal.', equipment: 'Machine', code: 'Alarm code', point: 'Point', grade: 'Grade', status: 'Status',
        raisedAt: 'Raised', raisedValue: 'Value', acknowledgedBy: 'Acknowledged by', clearedAt: 'Cleared', active: 'Not cleared', acknowledge: 'Acknowledge', confirm: 'Acknowledge alarm {{code}}?', acknowledged: 'Alarm {{code}} acknowledged',
      },
      wall: { title: 'Equipment status wall', total: 'Machines', alarms: 'Alarms: {{n}}', deviations: 'Out of standard: {{n}}', since: 'for {{d}}', none: 'No machines' },
    },
  },
  pages: [
    { path: 'equipment/machines', title: 'equipment:list.title', permission: 'equipment:read', load: () => import('./pages/EquipmentList') },
    { path: 'equipment/machines/:id', title: 'equipment:list.title', permission: 'equipment:read', menu: false, load: () => import('./pages/EquipmentDetail') },
    { path: 'equipment/alarms', title: 'equipment:alarms.title', permission: 'equipment:read', load: () => import('./pages/Alarms') },
  ],
  boards: [{ path: 'equipment', title: 'equipment:wall.title', permission: 'equipment:read', load: () => import('./pages/EquipmentWall') }],
};
export default equipment;
