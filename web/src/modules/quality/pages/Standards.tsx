import type { QualityStandard } from '@mes/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

/** Inspection standards: what each applies to and every item with its limits; a new one with its items as lines. */
export default function Standards() {
  const { t } = useTranslation('quality');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  return (
    <Page title={t('standards.title')} help={t('standards.help')}>
      <ServerTable<QualityStandard>
        testId="quality-standards"
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.quality.standards.list(q)}
        extra={
          can('quality:write') && (
            <FormDrawer
              testId="new-standard"
              label={t('standards.new')}
              title={t('standards.new')}
              fields={[
                { name: 'code', label: t('standards.code'), required: true },
                { name: 'name', label: t('standards.name'), required: true },
                { name: 'materialId', label: t('inspections.material'), kind: 'material', help: t('standards.materialHelp') },
                { name: 'materialCategory', label: t('standards.materialCategory') },
              ]}
              lines={[
                { name: 'code', label: t('standards.itemCode'), required: true },
                { name: 'name', label: t('standards.itemName'), required: true },
                { name: 'kind', label: t('standards.kind'), kind: 'select', required: true, options: (['quantitative', 'qualitative'] as const).map((k) => ({ value: k, label: t(`kind.${k}`) })) },
                { name: 'nominal', label: t('standards.nominal'), kind: 'quantity' },
                { name: 'lowerLimit', label: t('standards.lower'), kind: 'quantity' },
                { name: 'upperLimit', label: t('standards.upper'), kind: 'quantity' },
                { name: 'unit', label: t('standards.unit') },
                { name: 'decimals', label: t('standards.decimals'), kind: 'integer' },
                { name: 'defectCode', label: t('standards.defectCode') },
              ]}
              linesName="items"
              send={(b) => client.quality.standards.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        filters={[{ name: 'materialId', label: t('inspections.material'), kind: 'material' }]}
        columns={[
          { title: t('standards.code'), dataIndex: 'code' },
          { title: t('standards.name'), dataIndex: 'name' },
          { title: t('standards.appliesTo'), key: 'to', render: (_: unknown, s) => s.materialCode ?? t('standards.category', { c: s.materialCategory }) },
          {
            title: t('standards.items'),
            key: 'items',
            render: (_: unknown, s) => (
              <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                {s.items.map((i) => (
                  <li key={i.code}>
                    {`${i.code} ${i.name} · ${t(`kind.${i.kind}`)}`}
                    {i.kind === 'quantitative' && ` · ${i.lowerLimit ?? '−∞'} ~ ${i.upperLimit ?? '+∞'} ${i.unit ?? ''}`}
                    {i.defectCode && ` · ${i.defectCode}`}
                  </li>
                ))}
              </ul>
            ),
          },
          { title: t('standards.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
        ]}
      />
    </Page>
  );
}
