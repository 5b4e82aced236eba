import type { QualityInspectionSummary } from '@mes/sdk';
import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { JUDGEMENT_COLORS, STATUSES, TYPES } from './labels';

/** Inspection orders, newest first; type, status and material filters in the URL; a manual inspection order from a plan opens its detail. */
export default function Inspections() {
  const { t } = useTranslation('quality');
  const { client, can } = useSession();
  const navigate = useNavigate();
  const [plans, setPlans] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    void client.quality.plans.list({ limit: 200 }).then((p) => setPlans(p.items.filter((x) => x.status === 'active').map((x) => ({ value: x.id, label: `${x.code} · ${x.name} (${t(`type.${x.inspectionType}`)})` }))), () => setPlans([]));
  }, [client, t]);
  return (
    <Page title={t('inspections.title')} help={t('inspections.help')}>
      <ServerTable<QualityInspectionSummary>
        testId="quality-inspections"
        rowKey="id"
        load={(q) => client.quality.inspections.list(q)}
        extra={
          can('quality:inspect') && (
            <FormDrawer
              testId="new-inspection"
              label={t('inspections.new')}
              title={t('inspections.new')}
              fields={[
                { name: 'planId', label: t('inspections.plan'), kind: 'select', required: true, options: plans },
                { name: 'materialId', label: t('inspections.material'), kind: 'material', required: true },
                { name: 'lotSize', label: t('inspections.lotSize'), kind: 'quantity', required: true },
                { name: 'batchNo', label: t('inspections.batchNo') },
                { name: 'warehouseId', label: t('inspections.warehouse'), kind: 'warehouse', help: t('inspections.warehouseHelp') },
              ]}
              send={(b) => client.quality.inspections.create(b as never)}
              onDone={(i) => navigate(`/quality/inspections/${i.id}`)}
            />
          )
        }
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
