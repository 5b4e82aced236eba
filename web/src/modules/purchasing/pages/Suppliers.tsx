import type { Partner } from '@mes/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

/** Suppliers; customers (sales) are the same shape and use this page's pattern. */
export default function Suppliers() {
  const { t } = useTranslation('purchasing');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  return (
    <Page title={t('suppliers.title')} help={t('suppliers.help')}>
      <ServerTable<Partner>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.suppliers.list(q)}
        filters={[{ name: 'q', label: t('suppliers.search') }]}
        extra={
          can('purchasing:write') && (
            <FormDrawer
              testId="new-supplier"
              label={t('suppliers.new')}
              title={t('suppliers.new')}
              fields={[
                { name: 'code', label: t('suppliers.code'), required: true },
                { name: 'name', label: t('suppliers.name'), required: true },
                { name: 'taxNumber', label: t('suppliers.taxNo') },
                { name: 'uscc', label: t('suppliers.uscc') },
                { name: 'address', label: t('suppliers.address') },
              ]}
              send={(b) => client.suppliers.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('suppliers.code'), dataIndex: 'code' },
          { title: t('suppliers.name'), dataIndex: 'name' },
          { title: t('suppliers.uscc'), dataIndex: 'uscc' },
          { title: t('suppliers.address'), dataIndex: 'address' },
          { title: t('orders.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        ]}
      />
    </Page>
  );
}
