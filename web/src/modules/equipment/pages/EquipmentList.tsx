import type { EquipmentSummary } from '@mes/sdk';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useSession } from '../../../app/session';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';

/** The equipment master, by code; a code opens the machine's status, history and indicators. */
export default function EquipmentList() {
  const { t } = useTranslation('equipment');
  const { client } = useSession();
  return (
    <Page title={t('list.title')} help={t('list.help')}>
      <ServerTable<EquipmentSummary>
        testId="equipment-list"
        rowKey="id"
        load={(q) => client.equipment.list(q)}
        filters={[{ name: 'status', label: t('list.status'), kind: 'select', options: ['active', 'retired'].map((s) => ({ value: s, label: t(`common:status.${s}`) })) }]}
        columns={[
          { title: t('list.code'), dataIndex: 'code', render: (v: string, e) => <Link to={`/equipment/machines/${e.id}`} data-testid={`machine-${v}`}>{v}</Link> },
          { title: t('list.name'), dataIndex: 'name' },
          { title: t('list.workshop'), dataIndex: 'workshopCode' },
          { title: t('list.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        ]}
      />
    </Page>
  );
}
