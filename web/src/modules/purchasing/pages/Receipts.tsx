import type { PurchaseReceiptSummary } from '@mes/sdk';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

export default function Receipts() {
  const { t } = useTranslation('purchasing');
  const { client } = useSession();
  return (
    <Page title={t('receipts.title')} help={t('receipts.help')}>
      <ServerTable<PurchaseReceiptSummary>
        rowKey="id"
        load={(q) => client.purchasing.receipts.list(q)}
        filters={[{ name: 'pendingInspection', label: t('receipts.pending'), kind: 'bool' }]}
        columns={[
          { title: t('receipts.docNo'), dataIndex: 'docNo' },
          { title: t('receipts.order'), dataIndex: 'orderDocNo' },
          { title: t('receipts.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('receipts.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
        ]}
      />
    </Page>
  );
}
