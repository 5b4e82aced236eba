import type { PurchasingProgressRow, SalesProgressRow } from '@mes/sdk';
import { Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';

/** Progress by customer and material (sales) and by supplier (purchasing), in base units. */
export default function Progress() {
  const { t } = useTranslation('reports');
  const { client, can } = useSession();
  return (
    <Page title={t('progress.title')} help={t('progress.help')}>
      <Tabs
        items={[
          {
            key: 'sales',
            label: t('progress.sales'),
            children: (
              <ServerTable<SalesProgressRow>
                rowKey={'key' as never}
                load={async (q) => {
                  const p = await client.sales.progress(q);
                  return { ...p, items: p.items.map((r) => ({ ...r, key: `${r.customerId}|${r.materialId}` })) };
                }}
                columns={[
                  { title: t('progress.partner'), dataIndex: 'customerName' },
                  { title: t('progress.material'), dataIndex: 'materialCode' },
                  { title: t('progress.ordered'), dataIndex: 'ordered', align: 'right' },
                  { title: t('progress.shipped'), dataIndex: 'shipped', align: 'right' },
                  { title: t('progress.open'), dataIndex: 'open', align: 'right' },
                  { title: t('progress.unit'), dataIndex: 'baseUnit' },
                ]}
              />
            ),
          },
          ...(can('purchasing:read')
            ? [{
                key: 'purchasing',
                label: t('progress.purchasing'),
                children: (
                  <ServerTable<PurchasingProgressRow & { id: string }>
                    rowKey="id"
                    load={async (q) => {
                      const p = await client.purchasing.progress(q);
                      return { ...p, items: p.items.map((r) => ({ ...r, id: `${r.key.id}|${r.baseUnit}` })) };
                    }}
                    columns={[
                      { title: t('progress.partner'), render: (_: unknown, r) => `${r.key.code} · ${r.key.name}` },
                      { title: t('progress.ordered'), dataIndex: 'ordered', align: 'right' },
                      { title: t('progress.received'), dataIndex: 'received', align: 'right' },
                      { title: t('progress.open'), dataIndex: 'open', align: 'right' },
                      { title: t('progress.unit'), dataIndex: 'baseUnit' },
                    ]}
                  />
                ),
              }]
            : []),
        ]}
      />
    </Page>
  );
}
