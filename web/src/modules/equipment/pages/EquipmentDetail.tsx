import type { Equipment, EquipmentIndicators, EquipmentStateHistory, EquipmentStatus } from '@mes/sdk';
import { Card, Col, Descriptions, Empty, Row, Segmented, Statistic, Table, Tag, Typography } from 'antd';
import type { EChartsOption } from 'echarts';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { Chart } from '../../../components/Chart';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';
import { STATES, stateOf } from './states';

const PERIODS = { h24: 24 * 3600_000, d7: 7 * 24 * 3600_000 };
const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const num = (v: number | null, div: number) => (v === null ? '—' : (v / div).toFixed(1));

/** When a rule raises its alarm, in words: above or below a limit (and the hysteresis that clears it), a change too fast, a fault value. */
function conditionOf(r: Equipment['alarmRules'][number], t: TFunction): string {
  if (r.kind === 'fault') return t('detail.faultRule', { value: String(r.value) });
  if (r.kind === 'trend') return t('detail.trendRule', { max: r.maxPerMinute, window: r.windowSeconds });
  const limits = [r.high !== null ? `> ${r.high}` : '', r.low !== null ? `< ${r.low}` : ''].filter(Boolean).join(t('detail.or'));
  return r.hysteresis ? `${limits} (${t('create.hysteresis')} ${r.hysteresis})` : limits;
}

/** A machine: state and live readings against running standards, state history (ECharts), OEE, MTBF, MTTR. */
export default function EquipmentDetail() {
  const { t } = useTranslation('equipment');
  const { id = '' } = useParams();
  const { client } = useSession();
  const [machine, setMachine] = useState<Equipment | null>(null);
  const [status, setStatus] = useState<EquipmentStatus | null>(null);
  const [history, setHistory] = useState<EquipmentStateHistory | null>(null);
  const [ind, setInd] = useState<EquipmentIndicators | null>(null);
  const [period, setPeriod] = useState<keyof typeof PERIODS>('h24');
  const [error, setError] = useState<FriendlyError | null>(null);

  const load = useCallback(async () => {
    const to = new Date();
    const range = { from: new Date(to.getTime() - PERIODS[period]).toISOString(), to: to.toISOString() };
    try {
      const [m, s, h, i] = await Promise.all([client.equipment.get(id), client.equipment.status(id), client.equipment.states(id, range), client.equipment.indicators(id, range)]);
      setMachine(m);
      setStatus(s);
      setHistory(h);
      setInd(i);
    } catch (err) {
      setError(friendly(err, t));
    }
  }, [client, id, period, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const option = useMemo<EChartsOption>(() => {
    const keys = ['run', 'idle', 'down', 'setup'] as const;
    return {
      grid: { left: 80, right: 24, top: 16, bottom: 32 },
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: keys.map((k) => `${STATES[k].symbol} ${t(`state.${k}`)}`) },
      yAxis: { type: 'value', name: t('detail.hours') },
      series: [{ type: 'bar', label: { show: true, position: 'top' }, data: keys.map((k) => ({ value: Math.round(((history?.seconds[k] ?? 0) / 3600) * 100) / 100, itemStyle: { color: STATES[k].color } })) }],
    };
  }, [history, t]);

  const state = stateOf(status?.state);
  return (
    <Page title={t('detail.title', { code: machine?.code ?? '' })} help={t('detail.help')}>
      <Typography.Paragraph>
        <Link to="/equipment/machines">← {t('detail.back')}</Link>
      </Typography.Paragraph>
      <ErrorAlert error={error} />
      {machine && status && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label={t('list.name')}>{machine.name}</Descriptions.Item>
            <Descriptions.Item label={t('list.workshop')}>{machine.workshopCode}</Descriptions.Item>
            <Descriptions.Item label={t('detail.state')}>
              <Tag color={STATES[state].color} data-testid="machine-state">{`${STATES[state].symbol} ${t(`state.${state}`)}`}</Tag>
              {status.stateSince && t('detail.since', { time: new Date(status.stateSince).toLocaleString() })}
            </Descriptions.Item>
            <Descriptions.Item label={t('detail.manufacturer')}>{machine.manufacturer || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('detail.model')}>{machine.model || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('detail.serialNo')}>{machine.serialNo || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('detail.activeAlarms')}>{status.activeAlarms}</Descriptions.Item>
            <Descriptions.Item label={t('detail.outOfStandard')}>{status.outOfStandard}</Descriptions.Item>
          </Descriptions>
          <Card title={t('detail.readings')} size="small" style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="point"
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="machine-readings"
              dataSource={status.readings}
              locale={{ emptyText: t('detail.none') }}
              columns={[
                { title: t('detail.point'), dataIndex: 'point' },
                { title: t('detail.value'), dataIndex: 'value', align: 'right', render: (v: unknown, r) => `${String(v)}${r.unit ? ` ${r.unit}` : ''}` },
                { title: t('detail.standard'), key: 'standard', render: (_: unknown, r) => (r.standard.min === null && r.standard.max === null ? '—' : `${r.standard.min ?? '−∞'} … ${r.standard.max ?? '+∞'}`) },
                { title: t('detail.deviation'), dataIndex: 'deviation', render: (d: string | null) => (d ? <Tag color="red" style={{ color: '#1f1f1f' }}>{d === 'high' ? `▲ ${t('detail.high')}` : `▼ ${t('detail.low')}`}</Tag> : t('detail.normal')) },
                { title: t('detail.quality'), dataIndex: 'quality' },
                { title: t('detail.time'), dataIndex: 'ts', render: (v: string) => new Date(v).toLocaleString() },
              ]}
            />
          </Card>
          <Card title={t('create.alarmRules')} size="small" style={{ marginBottom: 16 }}>
            <Table
              size="small"
              rowKey="code"
              pagination={false}
              scroll={{ x: 'max-content' }}
              data-testid="machine-alarm-rules"
              dataSource={machine.alarmRules}
              locale={{ emptyText: t('detail.none') }}
              columns={[
                { title: t('create.ruleCode'), dataIndex: 'code' },
                { title: t('detail.point'), dataIndex: 'point' },
                { title: t('create.ruleKind'), dataIndex: 'kind', render: (k: string) => t(`create.ruleKinds.${k}`) },
                { title: t('detail.condition'), key: 'condition', render: (_: unknown, r) => conditionOf(r, t) },
                { title: t('alarms.grade'), dataIndex: 'grade', render: (g: string) => t(`grade.${g}`) },
              ]}
            />
          </Card>
          <Segmented
            aria-label={t('detail.period')}
            style={{ marginBottom: 16 }}
            value={period}
            onChange={(v) => setPeriod(v as keyof typeof PERIODS)}
            options={(['h24', 'd7'] as const).map((p) => ({ value: p, label: t(`detail.${p}`) }))}
          />
          {ind && (
            <Card title={t('detail.indicators')} size="small" style={{ marginBottom: 16 }} data-testid="machine-indicators">
              <Row gutter={[16, 16]}>
                <Col xs={12} md={6} xl={3}><Statistic title={t('detail.oee')} value={pct(ind.oee)} /></Col>
                <Col xs={12} md={6} xl={3}><Statistic title={t('detail.availability')} value={pct(ind.availability)} /></Col>
                <Col xs={12} md={6} xl={3}><Statistic title={t('detail.performance')} value={pct(ind.performance)} /></Col>
                <Col xs={12} md={6} xl={3}><Statistic title={t('detail.mtbf')} value={num(ind.mtbfSeconds, 3600)} /></Col>
                <Col xs={12} md={6} xl={3}><Statistic title={t('detail.mttr')} value={num(ind.mttrSeconds, 60)} /></Col>
                <Col xs={12} md={6} xl={3}><Statistic title={t('detail.failures')} value={ind.failures} /></Col>
                <Col xs={12} md={6} xl={3}><Statistic title={t('detail.output')} value={ind.output ?? '—'} /></Col>
              </Row>
            </Card>
          )}
          <Card title={t('detail.history')} size="small">
            {history && history.periods.length > 0 ? (
              <Row gutter={16}>
                <Col xs={24} xl={12}>
                  <Chart option={option} height={280} label={t('detail.chartLabel', { code: machine.code })} />
                </Col>
                <Col xs={24} xl={12}>
                  <Table
                    size="small"
                    rowKey="start"
                    pagination={{ pageSize: 8, hideOnSinglePage: true }}
                    data-testid="machine-periods"
                    dataSource={[...history.periods].reverse()}
                    columns={[
                      { title: t('list.status'), dataIndex: 'state', render: (s: string) => `${STATES[stateOf(s)].symbol} ${t(`state.${stateOf(s)}`)}` },
                      { title: t('detail.start'), dataIndex: 'start', render: (v: string) => new Date(v).toLocaleString() },
                      { title: t('detail.end'), dataIndex: 'end', render: (v: string | null) => (v ? new Date(v).toLocaleString() : '—') },
                      { title: t('detail.duration'), dataIndex: 'seconds', align: 'right', render: (v: number) => Math.round(v / 60) },
                    ]}
                  />
                </Col>
              </Row>
            ) : (
              <Empty description={t('detail.none')} />
            )}
          </Card>
        </>
      )}
    </Page>
  );
}
