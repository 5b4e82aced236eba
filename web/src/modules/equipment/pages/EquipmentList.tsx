import type { EquipmentStatus, EquipmentSummary } from '@mes/sdk';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';
import { STATES, stateOf } from './states';

type Row = EquipmentSummary & { live: EquipmentStatus | null };

/** The equipment master, by code, with each machine's state now; a code opens its readings, history and indicators. */
export default function EquipmentList() {
  const { t } = useTranslation('equipment');
  const { client } = useSession();
  return (
    <Page title={t('list.title')} help={t('list.help')}>
      <ServerTable<Row>
        testId="equipment-list"
        rowKey="id"
        load={async (q) => {
          const page = await client.equipment.list(q);
          const live = await Promise.all(page.items.map((e) => client.equipment.status(e.id).catch(() => null)));
          return { ...page, items: page.items.map((e, i) => ({ ...e, live: live[i] })) };
        }}
        filters={[{ name: 'status', label: t('list.status'), kind: 'select', options: ['active', 'retired'].map((s) => ({ value: s, label: t(`common:status.${s}`) })) }]}
        columns={[
          { title: t('list.code'), dataIndex: 'code', render: (v: string, e) => <Link to={`/equipment/machines/${e.id}`} data-testid={`machine-${v}`}>{v}</Link> },
          { title: t('list.name'), dataIndex: 'name' },
          { title: t('list.workshop'), dataIndex: 'workshopCode' },
          {
            title: t('detail.state'),
            key: 'state',
            render: (_: unknown, e) => {
              const s = stateOf(e.live?.state);
              return <Tag color={STATES[s].color}>{`${STATES[s].symbol} ${t(`state.${s}`)}`}</Tag>;
            },
          },
          { title: t('detail.activeAlarms'), key: 'alarms', align: 'right', render: (_: unknown, e) => e.live?.activeAlarms ?? '—' },
          { title: t('list.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        ]}
      />
    </Page>
  );
}
