import type { QualityInspectionSummary } from '@mes/sdk';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { JUDGEMENT_COLORS, STATUSES, TYPES } from './labels';

/** Inspection orders, newest first; type, status and material filters in the URL. */
export default function Inspections() {
  const { t } = useTranslation('quality');
  const { client } = useSession();
  return (
    <Page title={t('inspections.title')} help={t('inspections.help')}>
      <ServerTable<QualityInspectionSummary>
        testId="quality-inspections"
        rowKey="id"
        load={(q) => client.quality.inspections.list(q)}
        filters={[
          { name: 'inspectionType', label: t('inspections.type'), kind: 'select', options: TYPES.map((v) => ({ value: v, label: t(`type.${v}`) })) },
          { name: 'status', label: t('inspections.status'), kind: 'select', options: STATUSES.map((v) => ({ value: v, label: t(`istatus.${v}`) })) },
          { name: 'materialId', label: t('inspections.material'), kind: 'material' },
        ]}
        columns={[
          { title: t('inspections.docNo'), dataIndex: 'docNo', render: (v: string, r) => <Link to={`/quality/inspections/${r.id}`} data-testid={`inspection-${v}`}>{v}</Link> },
          { title: t('inspections.type'), dataIndex: 'inspectionType', render: (v: string) => t(`type.${v}`) },
          { title: t('inspections.material'), dataIndex: 'materialCode' },
          { title: t('inspections.batchNo'), dataIndex: 'batchNo', render: (v: string | null) => v ?? '—' },
          { title: t('inspections.plan'), dataIndex: 'planCode' },
          { title: t('inspections.lotSize'), dataIndex: 'lotSize', align: 'right' },
          { title: t('inspections.sample'), key: 'sample', align: 'right', render: (_: unknown, r) => `${r.sampleSize} / ${r.acceptNumber} / ${r.rejectNumber}` },
          { title: t('inspections.status'), dataIndex: 'status', render: (v: string) => <Tag color={v === 'open' ? 'blue' : v === 'judged' ? 'orange' : 'green'} style={{ color: '#1f1f1f' }}>{t(`istatus.${v}`)}</Tag> },
          { title: t('inspections.judgement'), dataIndex: 'judgement', render: (v: string | null) => (v ? <Tag color={JUDGEMENT_COLORS[v]} style={{ color: '#1f1f1f' }}>{t(`judgement.${v}`)}</Tag> : '—') },
          { title: t('inspections.defectives'), dataIndex: 'defectives', align: 'right', render: (v: number | null) => v ?? '—' },
          { title: t('inspections.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
        ]}
      />
    </Page>
  );
}
