import type { Material } from '@mes/sdk';
import { Button, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

/** Materials: search by code or name, create one, print its label. */
export default function Materials() {
  const { t } = useTranslation('masterdata');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  const [label, setLabel] = useState<{ code: string; url: string } | null>(null);
  const tracking = [
    { value: 'none', label: t('materials.trackingNone') },
    { value: 'batch', label: t('materials.trackingBatch') },
    { value: 'serial', label: t('materials.trackingSerial') },
  ];

  async function showLabel(m: Material) {
    const body = await client.barcodes.materialLabel(m.id);
    setLabel({ code: m.code, url: URL.createObjectURL(new Blob([body.bytes as BlobPart], { type: body.contentType })) });
  }

  return (
    <Page title={t('materials.title')} help={t('materials.help')}>
      <ServerTable<Material>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.materials.list(q)}
        filters={[
          { name: 'q', label: t('materials.search') },
          { name: 'category', label: t('materials.category') },
        ]}
        extra={
          can('masterdata:write') && (
            <FormDrawer
              testId="new-material"
              label={t('materials.new')}
              title={t('materials.new')}
              fields={[
                { name: 'code', label: t('materials.code'), required: true },
                { name: 'name', label: t('materials.name'), required: true },
                { name: 'specification', label: t('materials.specification') },
                { name: 'category', label: t('materials.category') },
                { name: 'baseUnit', label: t('materials.baseUnit'), kind: 'unit', required: true },
                { name: 'purchaseUnit', label: t('materials.purchaseUnit'), kind: 'unit' },
                { name: 'salesUnit', label: t('materials.salesUnit'), kind: 'unit' },
                { name: 'tracking', label: t('materials.tracking'), kind: 'select', options: tracking },
              ]}
              send={(body) => client.materials.create(body as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('materials.code'), dataIndex: 'code' },
          { title: t('materials.name'), dataIndex: 'name' },
          { title: t('materials.specification'), dataIndex: 'specification' },
          { title: t('materials.category'), dataIndex: 'category' },
          { title: t('materials.baseUnit'), dataIndex: 'baseUnit' },
          { title: t('materials.tracking'), dataIndex: 'tracking', render: (v: string) => tracking.find((x) => x.value === v)?.label ?? v },
          { title: t('materials.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('materials.label'), key: 'label', render: (_: unknown, m) => <Button size="small" onClick={() => void showLabel(m)}>{t('materials.label')}</Button> },
        ]}
      />
      <Modal open={!!label} title={label?.code} footer={null} onCancel={() => setLabel(null)}>
        {label && <img src={label.url} alt={label.code} style={{ maxWidth: '100%' }} />}
      </Modal>
    </Page>
  );
}
