import type { EquipmentAlarm } from '@mes/sdk';
import { Button, Popconfirm, Tag, message } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { GRADES } from './states';

const GRADE_COLORS: Record<string, string> = { critical: 'red', major: 'volcano', minor: 'gold', warning: 'blue' };

/** Alarms, newest first, filtered by active and grade; an open alarm can be acknowledged (once). */
export default function Alarms() {
  const { t } = useTranslation('equipment');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [msg, holder] = message.useMessage();
  async function acknowledge(a: EquipmentAlarm) {
    setError(null);
    try {
      await client.equipment.alarms.acknowledge(a.id);
      void msg.success(t('alarms.acknowledged', { code: a.code }));
      setReload((n) => n + 1);
    } catch (err) {
      setError(friendly(err, t));
    }
  }
  return (
    <Page title={t('alarms.title')} help={t('alarms.help')}>
      {holder}
      <ErrorAlert error={error} />
      <ServerTable<EquipmentAlarm>
        testId="equipment-alarms"
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.equipment.alarms.list(q)}
        filters={[
          { name: 'active', label: t('alarms.active'), kind: 'bool' },
          { name: 'grade', label: t('alarms.grade'), kind: 'select', options: GRADES.map((g) => ({ value: g, label: t(`grade.${g}`) })) },
        ]}
        columns={[
          { title: t('alarms.raisedAt'), dataIndex: 'raisedAt', render: (v: string) => new Date(v).toLocaleString() },
          { title: t('alarms.equipment'), dataIndex: 'equipmentCode' },
          { title: t('alarms.code'), dataIndex: 'code' },
          { title: t('alarms.grade'), dataIndex: 'grade', render: (g: string) => <Tag color={GRADE_COLORS[g]} style={{ color: '#1f1f1f' }}>{t(`grade.${g}`)}</Tag> },
          { title: t('alarms.point'), dataIndex: 'point' },
          { title: t('alarms.raisedValue'), dataIndex: 'raisedValue', render: (v: unknown) => String(v) },
          { title: t('alarms.status'), dataIndex: 'status', render: (s: string) => <span data-testid="alarm-status">{t(`alarmStatus.${s}`)}</span> },
          { title: t('alarms.acknowledgedBy'), dataIndex: 'acknowledgedBy' },
          { title: t('alarms.clearedAt'), dataIndex: 'clearedAt', render: (v: string | null) => (v ? new Date(v).toLocaleString() : '') },
          {
            key: 'actions',
            render: (_: unknown, a) =>
              a.status === 'open' && can('equipment:write') ? (
                <Popconfirm title={t('alarms.confirm', { code: a.code })} okText={t('alarms.acknowledge')} cancelText={t('common:actions.cancel')} okButtonProps={{ 'data-testid': 'confirm-acknowledge' } as never} onConfirm={() => acknowledge(a)}>
                  <Button size="small" type="primary" data-testid={`acknowledge-${a.code}`}>{t('alarms.acknowledge')}</Button>
                </Popconfirm>
              ) : null,
          },
        ]}
      />
    </Page>
  );
}
