import type { PurchaseOrderSummary } from '@mes/sdk';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { MobileList } from '../../../components/MobileList';
import { StatusTag } from '../../../components/StatusTag';

export default function MobilePurchasing() {
  const { t } = useTranslation('reports');
  const { client } = useSession();
  return (
    <MobileList<PurchaseOrderSummary>
      title={t('mobilePurchasing.title')}
      help={t('mobilePurchasing.help')}
      load={(cursor) => client.purchasing.orders.list({ limit: 20, cursor })}
      render={(o) => ({ key: o.id, title: `${o.docNo} · ${o.supplierCode}`, right: <StatusTag status={o.status} />, sub: new Date(o.createdAt).toLocaleDateString() })}
    />
  );
}
