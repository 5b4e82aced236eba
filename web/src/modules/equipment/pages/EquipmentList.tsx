import type { EquipmentStatus, EquipmentSummary } from '@mes/sdk';
import { Tag } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSession } from '../../../app/session';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';
import { machineBody } from './machine-body';
import { GRADES, STATES, stateOf } from './states';

type Row = EquipmentSummary & { live: EquipmentStatus | null };

type Option = { value: string; label: string };

/** The workshops and gateways a new machine can stand in and report through. */
function usePlantOptions() {
  const { client } = useSession();
  const [workshops, setWorkshops] = useState<Option[]>([]);
  const [gateways, setGateways] = useState<Option[]>([]);
  useEffect(() => {
    void client.plant.workshops.list({ limit: 500 }).then((p) => setWorkshops(p.items.map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` }))), () => setWorkshops([]));
    void client.equipment.gateways.list({ limit: 500 }).then((p) => setGateways(p.items.map((g) => ({ value: g.id, label: `${g.code} · ${g.name}` }))), () => setGateways([]));
  }, [client]);
  return { workshops, gateways };
}

const RULE_KINDS = ['threshold', 'trend', 'fault'] as const;

/**
 * The equipment master, by code, with each machine's state now; a code opens its readings,
 * history and indicators. A new machine takes its workshop, gateway, the points it reports
 * with their running standards, and its alarm rules (threshold, trend or fault value per point).
 */
export default function EquipmentList() {
  const { t } = useTranslation('equipment');
  const { client, can } = useSession();
  const navigate = useNavigate();
  const { workshops, gateways } = usePlantOptions();
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
        extra={
          can('equipment:write') && (
            <FormDrawer
              testId="new-machine"
              label={t('create.new')}
              title={t('create.new')}
              fields={[
                { name: 'code', label: t('list.code'), required: true, help: t('create.codeHelp') },
                { name: 'name', label: t('list.name'), required: true },
                { name: 'workshopId', label: t('list.workshop'), kind: 'select', options: workshops, required: true },
                { name: 'gatewayId', label: t('create.gateway'), kind: 'select', options: gateways },
                { name: 'manufacturer', label: t('detail.manufacturer') },
                { name: 'model', label: t('detail.model') },
                { name: 'serialNo', label: t('detail.serialNo') },
                { name: 'buildDate', label: t('create.buildDate'), kind: 'date' },
                { name: 'availableMinutesPerDay', label: t('create.availableMinutes'), kind: 'integer' },
                { name: 'targetOutputPerHour', label: t('create.targetOutput'), kind: 'number' },
              ]}
              linesName="points"
              lines={[
                { name: 'point', label: t('create.point'), required: true },
                { name: 'type', label: t('create.type'), kind: 'select', required: true, options: ['number', 'boolean', 'string'].map((v) => ({ value: v, label: t(`create.types.${v}`) })) },
                { name: 'unit', label: t('detail.unit') },
                { name: 'min', label: t('create.min'), kind: 'number' },
                { name: 'max', label: t('create.max'), kind: 'number' },
              ]}
              moreLines={[{
                name: 'alarmRules', title: t('create.alarmRules'), addLabel: t('create.addRule'),
                fields: [
                  { name: 'code', label: t('create.ruleCode'), required: true },
                  { name: 'point', label: t('create.point'), required: true },
                  { name: 'kind', label: t('create.ruleKind'), kind: 'select', required: true, options: RULE_KINDS.map((v) => ({ value: v, label: t(`create.ruleKinds.${v}`) })) },
                  { name: 'high', label: t('create.high'), kind: 'number' },
                  { name: 'low', label: t('create.low'), kind: 'number' },
                  { name: 'hysteresis', label: t('create.hysteresis'), kind: 'number' },
                  { name: 'value', label: t('create.faultValue') },
                  { name: 'windowSeconds', label: t('create.windowSeconds'), kind: 'integer' },
                  { name: 'maxPerMinute', label: t('create.maxPerMinute'), kind: 'number' },
                  { name: 'grade', label: t('alarms.grade'), kind: 'select', required: true, options: GRADES.map((g) => ({ value: g, label: t(`grade.${g}`) })) },
                ],
              }]}
              send={(b) => client.equipment.create(machineBody(b) as never)}
              onDone={(e) => navigate(`/equipment/machines/${e.id}`)}
            />
          )
        }
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
