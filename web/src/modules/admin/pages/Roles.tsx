import type { Role } from '@mes/sdk';
import { Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';

export default function Roles() {
  const { t } = useTranslation('admin');
  const { client } = useSession();
  const [rows, setRows] = useState<Role[]>([]);
  const [error, setError] = useState<FriendlyError | null>(null);
  useEffect(() => {
    client.roles.list().then((r) => setRows(r.items), (err) => setError(friendly(err, t)));
  }, [client, t]);
  return (
    <Page title={t('roles.title')} help={t('roles.help')}>
      <ErrorAlert error={error} />
      <Table<Role> rowKey="id" dataSource={rows} pagination={false} columns={[
        { title: t('roles.name'), dataIndex: 'name', render: (n: string, r) => <>{n} {r.builtin && <Tag>{t('roles.builtin')}</Tag>}</> },
        { title: t('roles.description'), dataIndex: 'description' },
        { title: t('roles.permissions'), dataIndex: 'permissions', render: (p: string[]) => p.map((x) => <Tag key={x}>{x}</Tag>) },
      ]} />
    </Page>
  );
}
