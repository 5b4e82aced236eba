import type { Balance } from '@mes/sdk';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';

/** Stock on hand, filtered in the URL; CSV export with the same filters (inventory:export, audited). */
export default function Balances() {
  const { t } = useTranslation('stock');
  const { client, can } = useSession();

  async function exportCsv() {
    const params = Object.fromEntries(new URLSearchParams(window.location.search));
    delete params.cursor;
    const csv = await client.reports.exportBalances(params as never);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
    a.download = 'stock-balances.csv';
    a.click();
  }

  return (
    <Page title={t('balances.title')} help={t('balances.help')}>
      <ServerTable<Balance>
        testId="balances"
        rowKey={'key' as never}
        load={async (q) => {
          const page = await client.stock.balances(q);
          return { ...page, items: page.items.map((b) => ({ ...b, key: `${b.materialId}|${b.warehouseId}|${b.binId}|${b.batchNo}|${b.serialNo}` })) };
        }}
        filters={[
          { name: 'materialId', label: t('balances.material'), kind: 'material' },
          { name: 'warehouseId', label: t('balances.warehouse'), kind: 'warehouse' },
          { name: 'batchNo', label: t('balances.batch') },
          { name: 'category', label: t('balances.category') },
          { name: 'includeZero', label: t('balances.includeZero'), kind: 'bool' },
        ]}
        extra={can('inventory:export') && <Button onClick={() => void exportCsv()}>{t('common:actions.export')}</Button>}
        columns={[
          { title: t('balances.materialCode'), dataIndex: 'materialCode' },
          { title: t('balances.warehouse'), dataIndex: 'warehouseCode' },
          { title: t('balances.bin'), dataIndex: 'binCode' },
          { title: t('balances.batch'), dataIndex: 'batchNo' },
          { title: t('balances.serial'), dataIndex: 'serialNo' },
          { title: t('balances.quantity'), dataIndex: 'quantity', align: 'right', render: (q: string) => <span data-testid="balance-quantity">{q}</span> },
          { title: t('balances.unit'), dataIndex: 'baseUnit' },
        ]}
      />
    </Page>
  );
}
