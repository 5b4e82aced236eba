import type { Movement } from '@mes/sdk';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';

export const MOVEMENT_TYPES = ['purchase_in', 'purchase_return', 'sales_out', 'sales_return', 'issue', 'return', 'production_in', 'transfer_out', 'transfer_in', 'count_gain', 'count_loss', 'other_in', 'other_out'];

/** The ledger, newest last, with the document each movement came from. */
export default function Movements() {
  const { t } = useTranslation('stock');
  const { client } = useSession();
  return (
    <Page title={t('movements.title')} help={t('movements.help')}>
      <ServerTable<Movement>
        rowKey="id"
        load={(q) => client.stock.movements({ ...q, ...(q.from ? { from: new Date(String(q.from)).toISOString() } : {}), ...(q.to ? { to: new Date(String(q.to)).toISOString() } : {}) } as never)}
        filters={[
          { name: 'materialId', label: t('balances.material'), kind: 'material' },
          { name: 'warehouseId', label: t('balances.warehouse'), kind: 'warehouse' },
          { name: 'batchNo', label: t('balances.batch') },
          { name: 'from', label: t('movements.from'), kind: 'date' },
          { name: 'to', label: t('movements.to'), kind: 'date' },
        ]}
        columns={[
          { title: t('movements.occurredAt'), dataIndex: 'occurredAt', render: (v: string) => new Date(v).toLocaleString() },
          { title: t('movements.type'), dataIndex: 'type', render: (v: string) => t(`movementType.${v}`, { defaultValue: v }) },
          { title: t('balances.materialCode'), dataIndex: 'materialCode' },
          { title: t('balances.batch'), dataIndex: 'batchNo' },
          { title: t('balances.quantity'), dataIndex: 'quantity', align: 'right' },
          { title: t('movements.source'), dataIndex: 'sourceType', render: (v: string) => t(`sourceType.${v}`, { defaultValue: v }) },
          { title: t('movements.postedBy'), dataIndex: 'postedBy' },
        ]}
      />
    </Page>
  );
}
