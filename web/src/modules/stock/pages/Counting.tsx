import type { CountSheetSummary } from '@mes/sdk';
import { Button, Popconfirm, Space, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

/** Count sheets: open one for a warehouse; counters enter counts on the PDA; post the variances here. */
export default function Counting() {
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
    <Page title={t('counting.title')} help={t('counting.help')}>
      {holder}
      <ServerTable<CountSheetSummary>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.countSheets.list(q)}
        filters={[{ name: 'status', label: t('counting.status'), kind: 'select', options: ['open', 'posted', 'cancelled'].map((s) => ({ value: s, label: t(`common:status.${s}`) })) }]}
        extra={
          can('inventory:write') && (
            <FormDrawer
              testId="new-count-sheet"
              label={t('counting.new')}
              title={t('counting.new')}
              fields={[
                { name: 'warehouseId', label: t('counting.warehouse'), kind: 'warehouse', required: true },
                { name: 'category', label: t('balances.category') },
                { name: 'blind', label: t('counting.blind'), kind: 'bool' },
              ]}
              send={(b) => client.countSheets.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('counting.sheetNo'), dataIndex: 'sheetNo' },
          { title: t('counting.warehouse'), dataIndex: 'warehouseCode' },
          { title: t('counting.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('counting.blind'), dataIndex: 'blind', render: (b: boolean) => (b ? t('common:yes') : t('common:no')) },
          { title: t('counting.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
          {
            key: 'actions',
            render: (_: unknown, s) =>
              s.status === 'open' && can('inventory:post') ? (
                <Space>
                  <Popconfirm title={t('counting.post')} onConfirm={() => void act(client.countSheets.post(s.id))}>
                    <Button size="small" type="primary">{t('counting.post')}</Button>
                  </Popconfirm>
                  <Button size="small" onClick={() => void act(client.countSheets.cancel(s.id))}>{t('counting.cancel')}</Button>
                </Space>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}
