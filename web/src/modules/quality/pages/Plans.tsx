import type { QualityPlan } from '@mes/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';
import { AQLS, LEVELS, TYPES } from './labels';

/** Inspection plans: type, standard, sampling; a new one names its standard, sampling and (patrol) interval. */
export default function Plans() {
  const { t } = useTranslation('quality');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  const [standards, setStandards] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    void client.quality.standards.list({ limit: 200 }).then((p) => setStandards(p.items.filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: `${s.code} · ${s.name}` }))), () => setStandards([]));
  }, [client, reload]);
  return (
    <Page title={t('plans.title')} help={t('plans.help')}>
      <ServerTable<QualityPlan>
        testId="quality-plans"
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.quality.plans.list(q)}
        extra={
          can('quality:write') && (
            <FormDrawer
              testId="new-plan"
              label={t('plans.new')}
              title={t('plans.new')}
              fields={[
                { name: 'code', label: t('plans.code'), required: true },
                { name: 'name', label: t('plans.name'), required: true },
                { name: 'inspectionType', label: t('plans.type'), kind: 'select', required: true, options: TYPES.map((v) => ({ value: v, label: t(`type.${v}`) })) },
                { name: 'standardId', label: t('plans.standard'), kind: 'select', required: true, options: standards },
                { name: 'sampling', label: t('plans.sampling'), kind: 'select', required: true, options: (['full', 'fixed', 'aql'] as const).map((v) => ({ value: v, label: t(`plans.samplings.${v}`) })) },
                { name: 'sampleSize', label: t('plans.sampleSize'), kind: 'integer', help: t('plans.fixedHelp') },
                { name: 'acceptNumber', label: t('plans.acceptNumber'), kind: 'integer' },
                { name: 'aql', label: 'AQL', kind: 'select', options: AQLS.map((v) => ({ value: v, label: v })), help: t('plans.aqlHelp') },
                { name: 'inspectionLevel', label: t('plans.level'), kind: 'select', options: LEVELS.map((v) => ({ value: v, label: v })) },
                { name: 'everyHours', label: t('plans.everyHours'), kind: 'quantity' },
                { name: 'everyPieces', label: t('plans.everyPieces'), kind: 'integer' },
                { name: 'operationSeq', label: t('plans.operationSeq'), kind: 'integer' },
              ]}
              send={(b) => client.quality.plans.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
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
