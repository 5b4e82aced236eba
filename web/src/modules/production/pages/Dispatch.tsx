import type { ProductionDispatchList } from '@mes/sdk';
import { Button, Empty, Form, Select, Space, Table, Tag } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { StatusTag } from '../../../components/StatusTag';

type Row = ProductionDispatchList['items'][number];
export const DISPATCH_CAUSES = ['progress', 'status', 'demand_change', 'rework', 'other'] as const;

/** The work centres to choose from, by code (the dispatch list and the reassignment both take codes). */
function useWorkCentres() {
  const { client } = useSession();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  useEffect(() => {
    void client.plant.workCentres.list({ limit: 500 }).then((p) => setOptions(p.items.map((w) => ({ value: w.code, label: `${w.code} · ${w.name}` }))), () => setOptions([]));
  }, [client]);
  return options;
}

/**
 * Dispatching (S1-5.4.4-j): one work centre's queue of open operations in dispatch order, the
 * work centre in the URL. Each operation can be moved in the queue or reassigned to an alternate
 * work centre and station; the server refuses what the routing does not allow, and every change
 * keeps its cause and reason.
 */
export default function Dispatch() {
  const { t } = useTranslation('production');
  const { client, can } = useSession();
  const [params, setParams] = useSearchParams();
  const centre = params.get('workCentre') ?? '';
  const centres = useWorkCentres();
  const [list, setList] = useState<ProductionDispatchList | null>(null);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [loading, setLoading] = useState(false);

  const load = useCallback(async () => {
    if (!centre) return setList(null);
    setLoading(true);
    setError(null);
    try {
      setList(await client.production.dispatch.list({ workCentreCode: centre }));
    } catch (err) {
      setList(null);
      setError(friendly(err, t));
    } finally {
      setLoading(false);
    }
  }, [client, centre, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const causeOptions = DISPATCH_CAUSES.map((c) => ({ value: c, label: t(`dispatch.causes.${c}`) }));
  const actions = (r: Row) =>
    can('production:write') && r.status !== 'completed' ? (
      <FormDrawer
        testId={`dispatch-${r.orderDocNo}-${r.operationSeq}`}
        label={t('dispatch.change')}
        title={t('dispatch.changeOf', { order: r.orderDocNo, seq: r.operationSeq })}
        fields={[
          { name: 'dispatchSeq', label: t('dispatch.seq'), kind: 'integer', help: t('dispatch.seqHelp'), initial: r.dispatchSeq ?? undefined },
          { name: 'workCentreCode', label: t('dispatch.workCentre'), kind: 'select', options: centres, help: t('dispatch.workCentreHelp') },
          { name: 'stationCode', label: t('dispatch.station') },
          { name: 'cause', label: t('dispatch.cause'), kind: 'select', options: causeOptions, required: true },
          { name: 'reason', label: t('dispatch.reason'), kind: 'textarea', required: true },
        ]}
        send={(b) => client.production.dispatch.operation(r.orderId, r.operationSeq, b as never)}
        onDone={() => void load()}
      />
    ) : null;

  return (
    <Page title={t('dispatch.title')} help={t('dispatch.help')}>
      <Form layout="inline" style={{ marginBottom: 16 }}>
        <Form.Item label={t('dispatch.workCentre')}>
          <Select
            style={{ minWidth: 260 }}
            showSearch
            optionFilterProp="label"
            value={centre || undefined}
            options={centres}
            aria-label={t('dispatch.workCentre')}
            data-testid="dispatch-work-centre"
            onChange={(v: string) => setParams(v ? { workCentre: v } : {})}
          />
        </Form.Item>
        <Form.Item>
          <Button onClick={() => void load()} disabled={!centre}>{t('common:actions.refresh')}</Button>
        </Form.Item>
      </Form>
      <ErrorAlert error={error} />
      {!centre ? (
        <Empty description={t('dispatch.choose')} />
      ) : (
        <Table<Row>
          size="middle"
          rowKey={(r) => `${r.orderId}-${r.operationSeq}`}
          loading={loading}
          data-testid="dispatch-list"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={list?.items ?? []}
          locale={{ emptyText: t('dispatch.none') }}
          columns={[
            { title: t('dispatch.seq'), dataIndex: 'dispatchSeq', render: (v: number | null) => v ?? <Tag>{t('dispatch.auto')}</Tag> },
            { title: t('orders.docNo'), dataIndex: 'orderDocNo', render: (v: string, r) => <Link to={`/production/orders/${r.orderId}`}>{v}</Link> },
            { title: t('orders.product'), dataIndex: 'materialCode' },
            { title: t('operation.seq'), dataIndex: 'operationSeq', render: (v: number, r) => `${v} · ${r.operationName}` },
            { title: t('operation.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
            { title: t('dispatch.progress'), dataIndex: 'goodQuantity', align: 'right', render: (v: string, r) => `${v} / ${r.orderQuantity}` },
            { title: t('orders.priority'), dataIndex: 'priority', align: 'right' },
            { title: t('orders.dueDate'), dataIndex: 'dueDate', render: (v: string | null) => v ?? '—' },
            { title: t('dispatch.plannedStart'), dataIndex: 'plannedStart', render: (v: string | null) => (v ? new Date(v).toLocaleString() : '—') },
            { title: t('operation.plannedMinutes'), dataIndex: 'plannedMinutes', align: 'right' },
            { title: t('dispatch.actions'), key: 'actions', render: (_: unknown, r) => <Space>{actions(r)}</Space> },
          ]}
        />
      )}
    </Page>
  );
}
