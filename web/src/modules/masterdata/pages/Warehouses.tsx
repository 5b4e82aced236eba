import type { Bin, Warehouse } from '@mes/sdk';
import { Drawer, Table, Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';

/** Warehouses, and the bins of the one opened. */
export default function Warehouses() {
  const { t } = useTranslation('masterdata');
  const { client, can } = useSession();
  const [rows, setRows] = useState<Warehouse[]>([]);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [reload, setReload] = useState(0);
  const [open, setOpen] = useState<Warehouse | null>(null);
  const [bins, setBins] = useState<Bin[]>([]);
  const kinds = ['normal', 'quarantine', 'wip'].map((k) => ({ value: k, label: t(`warehouses.${k}`) }));
  useEffect(() => {
    client.warehouses.list().then((r) => setRows(r.items), (err) => setError(friendly(err, t)));
  }, [client, reload, t]);
  useEffect(() => {
    if (open) client.warehouses.listBins(open.id).then((r) => setBins(r.items), (err) => setError(friendly(err, t)));
  }, [client, open, reload, t]);
  return (
    <Page
      title={t('warehouses.title')}
      help={t('warehouses.help')}
      extra={
        can('masterdata:write') && (
          <FormDrawer
            testId="new-warehouse"
            label={t('warehouses.new')}
            title={t('warehouses.new')}
            fields={[
              { name: 'code', label: t('warehouses.code'), required: true },
              { name: 'name', label: t('warehouses.name'), required: true },
              { name: 'kind', label: t('warehouses.kind'), kind: 'select', options: kinds },
              { name: 'allowNegative', label: t('warehouses.allowNegative'), kind: 'bool' },
            ]}
            send={(b) => client.warehouses.create(b as never)}
            onDone={() => setReload((n) => n + 1)}
          />
        )
      }
    >
      <ErrorAlert error={error} />
      <Table<Warehouse>
        rowKey="id"
        dataSource={rows}
        pagination={false}
        onRow={(w) => ({ onClick: () => setOpen(w), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('warehouses.code'), dataIndex: 'code', render: (c: string, w) => <a onClick={() => setOpen(w)}>{c}</a> },
          { title: t('warehouses.name'), dataIndex: 'name' },
          { title: t('warehouses.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{t(`warehouses.${k}`, { defaultValue: k })}</Tag> },
        ]}
      />
      <Drawer open={!!open} title={`${open?.code ?? ''} · ${t('warehouses.bins')}`} onClose={() => setOpen(null)} width={520}>
        {open && can('masterdata:write') && (
          <FormDrawer
            testId="new-bin"
            label={t('warehouses.newBin')}
            title={t('warehouses.newBin')}
            fields={[
              { name: 'code', label: t('warehouses.binCode'), required: true },
              { name: 'name', label: t('warehouses.binName') },
            ]}
            send={(b) => client.warehouses.createBin(open.id, b as never)}
            onDone={() => setReload((n) => n + 1)}
          />
        )}
        <Table<Bin> rowKey="id" dataSource={bins} pagination={false} style={{ marginTop: 12 }} columns={[
          { title: t('warehouses.binCode'), dataIndex: 'code' },
          { title: t('warehouses.binName'), dataIndex: 'name' },
        ]} />
      </Drawer>
    </Page>
  );
}
