import type { QualityStandard } from '@mes/sdk';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

/** Inspection standards (read-only): what each applies to and every item with its limits. */
export default function Standards() {
  const { t } = useTranslation('quality');
  const { client } = useSession();
  return (
    <Page title={t('standards.title')} help={t('standards.help')}>
      <ServerTable<QualityStandard>
        testId="quality-standards"
        rowKey="id"
        load={(q) => client.quality.standards.list(q)}
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
