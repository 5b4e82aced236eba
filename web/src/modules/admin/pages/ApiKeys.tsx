import type { ApiKey, CreatedApiKey } from '@mes/sdk';
import { Alert, Button, Popconfirm, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';

/** Read-only scopes a board TV needs: stock, orders and the event stream. */
const BOARD_SCOPES = ['events:read', 'inventory:read', 'sales:read', 'purchasing:read', 'masterdata:read'];

export default function ApiKeys() {
  const { t } = useTranslation('admin');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  return (
    <Page title={t('keys.title')} help={t('keys.help')}>
      {created && (
        <Alert type="warning" showIcon closable onClose={() => setCreated(null)} style={{ marginBottom: 16 }} message={t('keys.secret')} description={<Typography.Text copyable code data-testid="new-key-secret">{created.key}</Typography.Text>} />
      )}
      <ServerTable<ApiKey>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.apiKeys.list(q)}
        extra={
          can('apikeys:write') && (
            <FormDrawer
              testId="new-api-key"
              label={t('keys.new')}
              title={t('keys.new')}
              fields={[
                { name: 'name', label: t('keys.name'), required: true },
                { name: 'permissions', label: t('keys.permissions'), kind: 'select', multiple: true, options: [{ value: '*', label: '*' }, ...BOARD_SCOPES.map((s) => ({ value: s, label: s }))], help: `${t('keys.boardPreset')}: ${BOARD_SCOPES.join(', ')}` },
              ]}
              send={(b) => client.apiKeys.create(b as never)}
              onDone={(k) => {
                setCreated(k);
                setReload((n) => n + 1);
              }}
            />
          )
        }
        columns={[
          { title: t('keys.name'), dataIndex: 'name' },
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('keys.permissions'), dataIndex: 'permissions', render: (p: string[]) => p.map((x) => <Tag key={x}>{x}</Tag>) },
          { title: t('keys.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
          {
            key: 'actions',
            render: (_: unknown, k) =>
              k.revokedAt ? (
                <Tag color="red">{t('keys.revoked')}</Tag>
              ) : can('apikeys:write') ? (
                <Popconfirm title={t('keys.revoke')} onConfirm={() => client.apiKeys.revoke(k.id).then(() => setReload((n) => n + 1))}>
                  <Button size="small" danger>{t('keys.revoke')}</Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}
