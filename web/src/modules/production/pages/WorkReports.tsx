import type { ProductionWorkReport } from '@mes/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { reportColumns } from './columns';

/** Work reports of an order chosen from the newest orders (the API lists reports per order). */
export default function WorkReports() {
  const { t } = useTranslation('production');
  const { client } = useSession();
  const [orders, setOrders] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    void client.production.orders.list({ limit: 200 }).then((p) => setOrders(p.items.filter((o) => o.status !== 'planned' && o.status !== 'cancelled').map((o) => ({ value: o.id, label: `${o.docNo} · ${o.materialCode}` }))));
  }, [client]);
  return (
    <Page title={t('reports.title')} help={t('reports.help')}>
      <ServerTable<ProductionWorkReport>
        testId="work-reports"
        rowKey="id"
        filters={[{ name: 'orderId', label: t('reports.order'), kind: 'select', options: orders }]}
        load={async ({ orderId, ...q }) => (orderId ? client.production.execution.reports(String(orderId), q) : { items: [], nextCursor: null })}
        columns={reportColumns(t)}
      />
    </Page>
  );
}
