import type { QualityPlan } from '@mes/sdk';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';
import { TYPES } from './labels';

/** Inspection plans (read-only): type, standard, sampling. */
export default function Plans() {
  const { t } = useTranslation('quality');
  const { client } = useSession();
  return (
    <Page title={t('plans.title')} help={t('plans.help')}>
      <ServerTable<QualityPlan>
        testId="quality-plans"
        rowKey="id"
        load={(q) => client.quality.plans.list(q)}
        filters={[{ name: 'inspectionType', label: t('plans.type'), kind: 'select', options: TYPES.map((v) => ({ value: v, label: t(`type.${v}`) })) }]}
        columns={[
          { title: t('plans.code'), dataIndex: 'code' },
          { title: t('plans.name'), dataIndex: 'name' },
          { title: t('plans.type'), dataIndex: 'inspectionType', render: (v: string) => t(`type.${v}`) },
          { title: t('plans.standard'), dataIndex: 'standardCode', render: (v: string, p) => (p.itemCodes.length ? `${v} (${p.itemCodes.join(', ')})` : v) },
          { title: t('plans.sampling'), dataIndex: 'sampling', render: (v: string) => t(`sampling.${v}`) },
          {
            title: t('plans.detail'),
            key: 'detail',
            render: (_: unknown, p) =>
              [
                p.sampling === 'aql' ? `AQL ${p.aql} · ${p.inspectionLevel}` : p.sampling === 'fixed' ? `n = ${p.sampleSize}, Ac = ${p.acceptNumber}` : '',
                p.everyHours || p.everyPieces ? t('plans.every', { h: p.everyHours ?? '—', p: p.everyPieces ?? '—' }) : '',
              ].filter(Boolean).join(' · ') || '—',
          },
          { title: t('plans.status'), dataIndex: 'status', render: (v: string) => <StatusTag status={v} /> },
        ]}
      />
    </Page>
  );
}
