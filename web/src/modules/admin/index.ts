import type { ModuleDef } from '../../app/module';

/** Administration: users and roles, API keys, the audit log with chain verification, the tenant's plan and rules. */
const admin: ModuleDef = {
  id: 'admin',
  title: 'admin:menu',
  icon: 'setting',
  messages: {
    'zh-CN': {
      menu: '系统管理',
      users: { title: '用户', help: '工厂里能登录的人。给用户分配角色以授予权限；停用的用户不能再登录。', new: '新建用户', username: '用户名', displayName: '姓名', email: '邮箱', password: '初始密码（至少 10 位）', roles: '角色', status: '状态', edit: '修改', newPassword: '新密码（不改则留空）', disable: '停用', enable: '启用' },
      roles: { title: '角色', help: '角色及其权限。权限形如 模块:操作，* 表示全部。', name: '角色', description: '说明', permissions: '权限', builtin: '内置' },
      keys: { title: 'API 密钥', help: '供程序、手持终端和看板电视使用的密钥。密钥只在创建时显示一次；不用时请吊销。', new: '新建密钥', name: '名称', permissions: '权限范围', expiresAt: '到期时间', createdAt: '创建时间', revoke: '吊销', revoked: '已吊销', secret: '请立即复制保存此密钥，关闭后无法再次查看：', boardPreset: '看板只读' },
      audit: { title: '审计日志', help: '每一次变更、拒绝和导出都记入不可篡改的哈希链。“校验”会重新计算整条链。', seq: '序号', time: '时间', actor: '操作人', action: '操作', resource: '对象', outcome: '结果', status: '状态码', verify: '校验审计链', intact: '审计链完整：已校验 {{checked}} 条记录。', broken: '审计链被篡改：第 {{seq}} 条记录 {{problem}}。', since: '起始时间' },
      tenant: { title: '租户与设置', help: '本租户的套餐（决定请求速率和并发上限）和业务规则。', plan: '当前套餐', plans: '可用套餐', rps: '每秒请求', burst: '突发', concurrent: '并发', forbidSelfApproval: '禁止审核自己创建的单据', saved: '设置已保存', tenants: '所有租户（平台管理员）', changePlan: '更改套餐', slug: '租户代码', name: '名称' },
    },
    en: {
      menu: 'Administration',
      users: { title: 'Users', help: 'The people who can sign in. Give them roles to grant permissions; a disabled user cannot sign in.', new: 'New user', username: 'User name', displayName: 'Full name', email: 'Email', password: 'First password (10+ characters)', roles: 'Roles', status: 'Status', edit: 'Change', newPassword: 'New password (leave empty to keep)', disable: 'Disable', enable: 'Enable' },
      roles: { title: 'Roles', help: 'Roles and their permissions. A permission reads module:action; * is everything.', name: 'Role', description: 'Description', permissions: 'Permissions', builtin: 'Built in' },
      keys: { title: 'API keys', help: 'Keys for programs, PDAs and board TVs. A key is shown once, when it is created; revoke it when it is no longer used.', new: 'New key', name: 'Name', permissions: 'Scopes', expiresAt: 'Expires', createdAt: 'Created', revoke: 'Revoke', revoked: 'Revoked', secret: 'Copy this key now; it cannot be shown again:', boardPreset: 'Board (read-only)' },
      audit: { title: 'Audit log', help: 'Every change, refusal and export, in a tamper-evident hash chain. Verify recomputes the whole chain.', seq: 'No.', time: 'Time', actor: 'By', action: 'Action', resource: 'Record', outcome: 'Outcome', status: 'Status', verify: 'Verify the chain', intact: 'The audit chain is intact: {{checked}} records verified.', broken: 'The audit chain was tampered with: record {{seq}} is {{problem}}.', since: 'Since' },
      tenant: { title: 'Tenant and settings', help: "This tenant's plan (its request rate and concurrency ceilings) and business rules.", plan: 'Current plan', plans: 'Plans', rps: 'Requests/s', burst: 'Burst', concurrent: 'Concurrent', forbidSelfApproval: 'Forbid approving documents one created', saved: 'Settings saved', tenants: 'All tenants (platform administrator)', changePlan: 'Change plan', slug: 'Tenant code', name: 'Name' },
    },
  },
  pages: [
    { path: 'admin/users', title: 'admin:users.title', permission: 'users:read', load: () => import('./pages/Users') },
    { path: 'admin/roles', title: 'admin:roles.title', permission: 'roles:read', load: () => import('./pages/Roles') },
    { path: 'admin/api-keys', title: 'admin:keys.title', permission: 'apikeys:read', load: () => import('./pages/ApiKeys') },
    { path: 'admin/audit', title: 'admin:audit.title', permission: 'audit:read', load: () => import('./pages/Audit') },
    { path: 'admin/tenant', title: 'admin:tenant.title', permission: 'settings:read', load: () => import('./pages/Tenant') },
  ],
};
export default admin;
