import type { MrpRunSummary } from '@mes/sdk';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';

/** MRP (S1-5.4.4-k): the recorded runs, newest first; a new run opens its planned orders. */
export default function MrpRuns() {
  const { t } = useTranslation('production');
  const { client, can } = useSession();
  const navigate = useNavigate();
  const [reload, setReload] = useState(0);
  return (
    <Page title={t('mrp.title')} help={t('mrp.help')}>
      <ServerTable<MrpRunSummary>
        testId="mrp-runs"
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.production.mrp.list(q)}
        extra={
          can('production:write') && (
            <FormDrawer
              testId="mrp-run"
              label={t('mrp.run')}
              title={t('mrp.run')}
              fields={[
                { name: 'asOf', label: t('mrp.asOf'), kind: 'date', help: t('mrp.asOfHelp') },
                { name: 'salesOrders', label: t('mrp.salesOrders'), kind: 'bool', initial: true },
                { name: 'safetyStock', label: t('mrp.safetyStock'), kind: 'bool', initial: true },
              ]}
              send={(b) => client.production.mrp.run({ ...b, salesOrders: b.salesOrders === true, safetyStock: b.safetyStock === true })}
              onDone={(run) => {
                setReload((n) => n + 1);
                navigate(`/production/mrp/${run.id}`);
              }}
            />
          )
        }
        columns={[
          { title: t('mrp.docNo'), dataIndex: 'docNo', render: (v: string, r) => <Link to={`/production/mrp/${r.id}`} data-testid={`mrp-${v}`}>{v}</Link> },
          { title: t('mrp.asOf'), dataIndex: 'asOf' },
          { title: t('mrp.materials'), dataIndex: 'materialCount', align: 'right' },
          { title: t('mrp.demands'), dataIndex: 'demandCount', align: 'right' },
          { title: t('mrp.plannedCount'), dataIndex: 'plannedCount', align: 'right' },
          { title: t('mrp.duration'), dataIndex: 'durationMs', align: 'right' },
          { title: t('mrp.createdBy'), dataIndex: 'createdBy' },
          { title: t('mrp.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
        ]}
      />
    </Page>
  );
}
