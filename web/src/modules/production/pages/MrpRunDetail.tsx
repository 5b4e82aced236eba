import type { MrpFirmResult, MrpRun } from '@mes/sdk';
import { Alert, Button, Descriptions, Select, Space, Table, Tabs, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';

type Planned = MrpRun['plannedOrders'][number];
type Peg = Planned['pegs'][number];

/**
 * One MRP run: planned production orders and purchase suggestions (the kind filter in the URL),
 * each with the demand it is pegged to, the netting per material and the reschedule messages.
 * Selected planned orders are firmed into production and purchase orders.
 */
export default function MrpRunDetail() {
  const { t } = useTranslation('production');
  const { id = '' } = useParams();
  const { client, can } = useSession();
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as 'make' | 'buy' | null) ?? undefined;
  const [run, setRun] = useState<MrpRun | null>(null);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [selected, setSelected] = useState<number[]>([]);
  const [firmed, setFirmed] = useState<MrpFirmResult | null>(null);
  const [busy, setBusy] = useState(false);
  const [msg, holder] = message.useMessage();

  const load = useCallback(() => client.production.mrp.get(id, kind ? { kind } : {}).then(setRun, (err) => setError(friendly(err, t))), [client, id, kind, t]);
  useEffect(() => {
    void load();
  }, [load]);

  async function firm() {
    setBusy(true);
    setError(null);
    try {
      const r = await client.production.mrp.firm(id, selected);
      setFirmed(r);
      setSelected([]);
      void msg.success(t('mrp.firmedCount', { count: r.productionOrders.length + r.purchaseOrders.length }));
      await load();
    } catch (err) {
      setError(friendly(err, t));
    } finally {
      setBusy(false);
    }
  }

  const pegColumns = [
    { title: t('mrp.pegSource'), dataIndex: 'source', render: (v: string) => t(`mrp.sources.${v}`, { defaultValue: v }) },
    { title: t('mrp.pegRef'), dataIndex: 'sourceRef' },
    { title: t('mrp.quantity'), dataIndex: 'quantity', align: 'right' as const },
    { title: t('mrp.dueDate'), dataIndex: 'dueDate' },
    { title: t('mrp.mtoNo'), dataIndex: 'mtoNo', render: (v: string | null) => v ?? '—' },
  ];

  return (
    <Page title={run ? t('mrp.runTitle', { docNo: run.docNo }) : t('mrp.title')} help={t('mrp.runHelp')}>
      {holder}
      <Typography.Paragraph>
        <Link to="/production/mrp">← {t('mrp.back')}</Link>
      </Typography.Paragraph>
      <ErrorAlert error={error} />
      {firmed && (
        <Alert
          type="success"
          showIcon
          style={{ marginBottom: 16 }}
          data-testid="mrp-firmed"
          message={t('mrp.firmedTitle')}
          description={[...firmed.productionOrders.map((o) => <div key={o.id}><Link to={`/production/orders/${o.id}`}>{o.docNo}</Link> ({t('mrp.kinds.make')})</div>), ...firmed.purchaseOrders.map((o) => <div key={o.id}>{o.docNo} ({t('mrp.kinds.buy')})</div>)]}
        />
      )}
      {run && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 4 }} style={{ marginBottom: 16 }} data-testid="mrp-header">
            <Descriptions.Item label={t('mrp.asOf')}>{run.asOf}</Descriptions.Item>
            <Descriptions.Item label={t('mrp.materials')}>{run.materialCount}</Descriptions.Item>
            <Descriptions.Item label={t('mrp.demands')}>{run.demandCount}</Descriptions.Item>
            <Descriptions.Item label={t('mrp.plannedCount')}>{run.plannedCount}</Descriptions.Item>
          </Descriptions>
          <Tabs
            items={[
              {
                key: 'planned',
                label: t('mrp.plannedOrders'),
                children: (
                  <>
                    <Space style={{ marginBottom: 12 }} wrap>
                      <Select
                        allowClear
                        style={{ minWidth: 180 }}
                        placeholder={t('mrp.kind')}
                        aria-label={t('mrp.kind')}
                        data-testid="mrp-kind"
                        value={kind}
                        options={(['make', 'buy'] as const).map((k) => ({ value: k, label: t(`mrp.kinds.${k}`) }))}
                        onChange={(v?: string) => setParams(v ? { kind: v } : {})}
                      />
                      {can('production:write') && (
                        <Button type="primary" disabled={selected.length === 0} loading={busy} onClick={() => void firm()} data-testid="mrp-firm">
                          {t('mrp.firm', { count: selected.length })}
                        </Button>
                      )}
                    </Space>
                    {/* No select-all box: with scroll.x antd repeats the header in an aria-hidden measuring row, and a checkbox there is focusable (axe aria-hidden-focus). */}
                    <Table<Planned>
                      size="middle"
                      rowKey="lineNo"
                      data-testid="mrp-planned"
                      pagination={false}
                      scroll={{ x: 'max-content' }}
                      dataSource={run.plannedOrders}
                      locale={{ emptyText: t('mrp.nonePlanned') }}
                      rowSelection={can('production:write') ? { hideSelectAll: true, selectedRowKeys: selected, onChange: (keys) => setSelected(keys as number[]), getCheckboxProps: (r) => ({ disabled: !!r.firmedId, 'aria-label': t('mrp.select', { line: r.lineNo }) }) } : undefined}
                      expandable={{ expandedRowRender: (r) => <Table<Peg> size="small" rowKey="demandSeq" pagination={false} dataSource={r.pegs} columns={pegColumns} data-testid={`mrp-pegs-${r.lineNo}`} /> }}
                      columns={[
                        { title: t('mrp.line'), dataIndex: 'lineNo' },
                        { title: t('mrp.kind'), dataIndex: 'kind', render: (v: string) => <Tag color={v === 'make' ? 'blue' : 'green'} style={{ color: '#1f1f1f' }}>{t(`mrp.kinds.${v}`)}</Tag> },
                        { title: t('mrp.material'), dataIndex: 'materialCode' },
                        { title: t('mrp.level'), dataIndex: 'level', align: 'right' },
                        { title: t('mrp.quantity'), dataIndex: 'quantity', align: 'right', render: (v: string, r) => `${v} ${r.baseUnit}` },
                        { title: t('mrp.startDate'), dataIndex: 'startDate', render: (v: string, r) => (r.late ? <Tag color="red" style={{ color: '#1f1f1f' }}>{t('mrp.late', { date: v })}</Tag> : v) },
                        { title: t('mrp.dueDate'), dataIndex: 'dueDate' },
                        { title: t('mrp.pegging'), key: 'pegs', render: (_: unknown, r) => r.pegs.map((p) => p.sourceRef).join(', ') },
                        { title: t('mrp.firmedAs'), dataIndex: 'firmedDocNo', render: (v: string | null) => v ?? '—' },
                      ]}
                    />
                  </>
                ),
              },
              {
                key: 'netting',
                label: t('mrp.netting'),
                children: (
                  <Table
                    size="middle"
                    rowKey="materialId"
                    data-testid="mrp-netting"
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    dataSource={run.netting}
                    columns={[
                      { title: t('mrp.material'), dataIndex: 'materialCode' },
                      { title: t('mrp.level'), dataIndex: 'level', align: 'right' },
                      { title: t('mrp.procurement'), dataIndex: 'procurement', render: (v: string) => t(`mrp.kinds.${v}`) },
                      { title: t('mrp.gross'), dataIndex: 'gross', align: 'right' },
                      { title: t('mrp.onHand'), dataIndex: 'onHand', align: 'right' },
                      { title: t('mrp.openSupply'), dataIndex: 'openSupply', align: 'right' },
                      { title: t('mrp.safety'), dataIndex: 'safetyStock', align: 'right' },
                      { title: t('mrp.net'), dataIndex: 'net', align: 'right' },
                      { title: t('mrp.planned'), dataIndex: 'planned', align: 'right' },
                      { title: t('mrp.unit'), dataIndex: 'baseUnit' },
                    ]}
                  />
                ),
              },
              {
                key: 'reschedule',
                label: t('mrp.reschedule'),
                children: (
                  <Table
                    size="middle"
                    rowKey={(r) => `${r.supplyRef}-${r.materialId}`}
                    pagination={false}
                    scroll={{ x: 'max-content' }}
                    dataSource={run.rescheduleMessages}
                    locale={{ emptyText: t('mrp.noReschedule') }}
                    columns={[
                      { title: t('mrp.material'), dataIndex: 'materialCode' },
                      { title: t('mrp.supply'), dataIndex: 'supplyRef' },
                      { title: t('mrp.supplyDate'), dataIndex: 'supplyDate' },
                      { title: t('mrp.neededBy'), dataIndex: 'neededBy' },
                      { title: t('mrp.quantity'), dataIndex: 'quantity', align: 'right' },
                    ]}
                  />
                ),
              },
            ]}
          />
          {run.truncated && <Alert type="warning" showIcon message={t('mrp.truncated')} style={{ marginTop: 16 }} />}
        </>
      )}
    </Page>
  );
}
