import type { SafetyStockRow, StockSummaryRow } from '@mes/sdk';
import { Tabs } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';

/** Receipts/issues/balance over a period (default: this month) and the shortage list. */
export default function Reports() {
  const { t } = useTranslation('stock');
  const { client } = useSession();
  const from = dayjs().startOf('month').format('YYYY-MM-DD');
  const to = dayjs().add(1, 'day').format('YYYY-MM-DD');
  return (
    <Page title={t('reports.title')} help={t('reports.help')}>
      <Tabs
        items={[
          {
            key: 'summary',
            label: t('reports.summary'),
            children: (
              <ServerTable<StockSummaryRow>
                rowKey="materialId"
                load={(q) => client.reports.stockSummary({ from, to, ...q } as never)}
                filters={[
                  { name: 'from', label: t('reports.from'), kind: 'date' },
                  { name: 'to', label: t('reports.to'), kind: 'date' },
                  { name: 'category', label: t('balances.category') },
                ]}
                columns={[
                  { title: t('balances.materialCode'), dataIndex: 'materialCode' },
                  { title: t('reports.opening'), dataIndex: 'opening', align: 'right' },
                  { title: t('reports.receipts'), dataIndex: 'receipts', align: 'right' },
                  { title: t('reports.issues'), dataIndex: 'issues', align: 'right' },
                  { title: t('reports.closing'), dataIndex: 'closing', align: 'right' },
                  { title: t('balances.unit'), dataIndex: 'baseUnit' },
                ]}
              />
            ),
          },
          {
            key: 'shortages',
            label: t('reports.shortages'),
            children: (
              <ServerTable<SafetyStockRow>
                rowKey={'key' as never}
                load={async (q) => {
                  const page = await client.reports.shortages(q);
                  return { ...page, items: page.items.map((r) => ({ ...r, key: `${r.materialId}|${r.warehouseId ?? ''}` })) };
                }}
                columns={[
                  { title: t('balances.materialCode'), dataIndex: 'materialCode' },
                  { title: t('balances.warehouse'), dataIndex: 'warehouseCode' },
                  { title: t('reports.onHand'), dataIndex: 'onHand', align: 'right' },
                  { title: t('reports.level'), dataIndex: 'level', align: 'right' },
                  { title: t('reports.shortfall'), dataIndex: 'shortfall', align: 'right' },
                ]}
              />
            ),
          },
        ]}
      />
    </Page>
  );
}
