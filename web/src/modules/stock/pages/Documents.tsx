import type { StockDocumentSummary } from '@mes/sdk';
import { Button, Popconfirm, Space, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

const TYPES = ['other_in', 'other_out', 'transfer', 'backflush_transfer'];

/** Other receipts and issues and transfers: create (and post), post a draft, reverse a posted one. */
export default function Documents() {
  const { t } = useTranslation('stock');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  const [msg, holder] = message.useMessage();
  const act = async (p: Promise<unknown>) => {
    try {
      await p;
      setReload((n) => n + 1);
    } catch (err) {
      void msg.error(friendly(err, t).message);
    }
  };
  return (
    <Page title={t('documents.title')} help={t('documents.help')}>
      {holder}
      <ServerTable<StockDocumentSummary>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.stockDocuments.list(q)}
        filters={[{ name: 'type', label: t('documents.type'), kind: 'select', options: TYPES.map((v) => ({ value: v, label: t(`documents.${v}`) })) }]}
        extra={
          can('inventory:write') && (
            <FormDrawer
              testId="new-stock-document"
              label={t('documents.new')}
              title={t('documents.new')}
              fields={[
                { name: 'type', label: t('documents.type'), kind: 'select', required: true, options: TYPES.map((v) => ({ value: v, label: t(`documents.${v}`) })) },
                { name: 'reason', label: t('documents.reason') },
                { name: 'post', label: t('documents.post'), kind: 'bool' },
              ]}
              lines={[
                { name: 'materialId', label: t('balances.material'), kind: 'material', required: true },
                { name: 'warehouseId', label: t('balances.warehouse'), kind: 'warehouse', required: true },
                { name: 'quantity', label: t('balances.quantity'), kind: 'quantity', required: true },
                { name: 'batchNo', label: t('balances.batch') },
                { name: 'toWarehouseId', label: t('documents.toWarehouse'), kind: 'warehouse' },
              ]}
              send={(b) => client.stockDocuments.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('documents.docNo'), dataIndex: 'docNo' },
          { title: t('documents.type'), dataIndex: 'type', render: (v: string) => t(`documents.${v}`, { defaultValue: v }) },
          { title: t('documents.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('documents.reason'), dataIndex: 'reason' },
          { title: t('documents.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
          {
            key: 'actions',
            render: (_: unknown, d) => (
              <Space>
                {d.status === 'draft' && can('inventory:post') && <Button size="small" onClick={() => void act(client.stockDocuments.post(d.id))}>{t('documents.postNow')}</Button>}
                {d.status === 'posted' && !d.reversedById && !d.reversesId && can('inventory:post') && (
                  <Popconfirm title={t('documents.reverse')} onConfirm={() => void act(client.stockDocuments.reverse(d.id))}>
                    <Button size="small" danger>{t('documents.reverse')}</Button>
                  </Popconfirm>
                )}
              </Space>
            ),
          },
        ]}
      />
    </Page>
  );
}
