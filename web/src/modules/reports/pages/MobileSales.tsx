import type { SalesOrderSummary } from '@mes/sdk';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { MobileList } from '../../../components/MobileList';
import { StatusTag } from '../../../components/StatusTag';

export default function MobileSales() {
  const { t } = useTranslation('reports');
  const { client } = useSession();
  return (
    <MobileList<SalesOrderSummary>
      title={t('mobileSales.title')}
      help={t('mobileSales.help')}
      load={(cursor) => client.sales.orders.list({ limit: 20, cursor })}
      render={(o) => ({ key: o.id, title: `${o.docNo} · ${o.customerName}`, right: <StatusTag status={o.status} />, sub: `${o.orderDate} · ${o.grossTotal}` })}
    />
  );
}
