import type { DeliveryPlanSummary } from '@mes/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

/** Delivery plans: lines of approved orders (by order number and line) on one delivery. */
export default function DeliveryPlans() {
  const { t } = useTranslation('sales');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  return (
    <Page title={t('plans.title')} help={t('plans.help')}>
      <ServerTable<DeliveryPlanSummary>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.sales.deliveryPlans.list(q)}
        extra={
          can('sales:write') && (
            <FormDrawer
              testId="new-delivery-plan"
              label={t('plans.new')}
              title={t('plans.new')}
              fields={[
                { name: 'customerId', label: t('plans.customer'), kind: 'customer', required: true },
                { name: 'plannedDate', label: t('plans.plannedDate'), kind: 'date', required: true },
              ]}
              lines={[
                { name: 'orderDocNo', label: t('plans.orderDocNo'), required: true },
                { name: 'lineNo', label: t('plans.lineNo'), kind: 'integer', required: true, initial: 1 },
                { name: 'quantity', label: t('plans.quantity'), kind: 'quantity', required: true },
              ]}
              send={(b) => client.sales.deliveryPlans.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('plans.docNo'), dataIndex: 'docNo' },
          { title: t('plans.customer'), dataIndex: 'customerCode' },
          { title: t('plans.plannedDate'), dataIndex: 'plannedDate' },
          { title: t('plans.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        ]}
      />
    </Page>
  );
}
