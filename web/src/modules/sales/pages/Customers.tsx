import type { Partner } from '@mes/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

/** Customers (S1-5.4.1-a). */
export default function Customers() {
  const { t } = useTranslation('sales');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  return (
    <Page title={t('customers.title')} help={t('customers.help')}>
      <ServerTable<Partner>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.customers.list(q)}
        filters={[{ name: 'q', label: t('customers.search') }]}
        extra={
          can('sales:write') && (
            <FormDrawer
              testId="new-customer"
              label={t('customers.new')}
              title={t('customers.new')}
              fields={[
                { name: 'code', label: t('customers.code'), required: true },
                { name: 'name', label: t('customers.name'), required: true },
                
                { name: 'uscc', label: t('customers.uscc') },
                { name: 'address', label: t('customers.address') },
              ]}
              send={(b) => client.customers.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('customers.code'), dataIndex: 'code' },
          { title: t('customers.name'), dataIndex: 'name' },
          { title: t('customers.uscc'), dataIndex: 'uscc' },
          { title: t('customers.address'), dataIndex: 'address' },
          { title: t('orders.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        ]}
      />
    </Page>
  );
}
