import type { Plan, Tenant as TenantRow, TenantSettings } from '@mes/sdk';
import { Button, Checkbox, Descriptions, Select, Table, message } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';

/** The tenant's plan and business rules; a platform administrator also sees every tenant and changes plans. */
export default function Tenant() {
  const { t } = useTranslation('admin');
  const { client, me, can } = useSession();
  const [plans, setPlans] = useState<Plan[]>([]);
  const [settings, setSettings] = useState<TenantSettings | null>(null);
  const [tenants, setTenants] = useState<TenantRow[]>([]);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [reload, setReload] = useState(0);
  const [msg, holder] = message.useMessage();
  const fail = (err: unknown) => setError(friendly(err, t));
  useEffect(() => {
    client.plans.list().then((p) => setPlans(p.items), fail);
    client.settings.get().then(setSettings, fail);
    if (can('tenants:read')) client.tenants.list({ limit: 200 }).then((p) => setTenants(p.items), fail);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, reload]);
  const current = plans.find((p) => p.code === me.tenant.plan);
  return (
    <Page title={t('tenant.title')} help={t('tenant.help')}>
      {holder}
      <ErrorAlert error={error} />
      <Descriptions bordered column={1} size="small" style={{ maxWidth: 640, marginBottom: 24 }}>
        <Descriptions.Item label={t('tenant.slug')}>{me.tenant.slug}</Descriptions.Item>
        <Descriptions.Item label={t('tenant.plan')}>{current ? `${current.name} (${current.code})` : me.tenant.plan}</Descriptions.Item>
        <Descriptions.Item label={t('tenant.rps')}>{current?.requestsPerSecond ?? '∞'}</Descriptions.Item>
        <Descriptions.Item label={t('tenant.concurrent')}>{current?.maxConcurrent ?? '∞'}</Descriptions.Item>
      </Descriptions>
      {settings && (
        <Checkbox
          checked={settings.forbidSelfApproval}
          disabled={!can('settings:write')}
          onChange={(e) => client.settings.update({ forbidSelfApproval: e.target.checked, version: settings.version }).then((s) => { setSettings(s); void msg.success(t('tenant.saved')); }, fail)}
        >
          {t('tenant.forbidSelfApproval')}
        </Checkbox>
      )}
      {can('tenants:read') && (
        <>
          <h2 style={{ fontSize: 18, marginTop: 32 }}>{t('tenant.tenants')}</h2>
          <Table<TenantRow> rowKey="id" dataSource={tenants} pagination={false} columns={[
            { title: t('tenant.slug'), dataIndex: 'slug' },
            { title: t('tenant.name'), dataIndex: 'name' },
            { title: t('tenant.changePlan'), dataIndex: 'plan', render: (plan: string, row) => (
              <Select value={plan} disabled={!can('tenants:write')} style={{ width: 160 }} aria-label={t('tenant.changePlan')} options={plans.map((p) => ({ value: p.code, label: p.name }))}
                onChange={(v) => client.tenants.update(row.id, { version: row.version, plan: v }).then(() => setReload((n) => n + 1), fail)} />
            ) },
            { title: t('common:status.active'), dataIndex: 'status' },
          ]} />
        </>
      )}
      {!settings && <Button loading />}
    </Page>
  );
}
