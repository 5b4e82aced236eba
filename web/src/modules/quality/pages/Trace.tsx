import type { Recall, Trace as TraceGraph } from '@mes/sdk';
import { Button, Card, Col, Descriptions, Form, Input, InputNumber, Radio, Row, Space, Table, Tree, Typography } from 'antd';
import type { DataNode } from 'antd/es/tree';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';

type Node = TraceGraph['nodes'][number];
type Edge = TraceGraph['edges'][number];

/**
 * The genealogy as a tree from the traced item: backward its components and suppliers, forward
 * what it went into and the customers. Keys are paths (a batch may appear twice); `ids` maps them
 * back to the node.
 */
export function treeOf(trace: TraceGraph, label: (n: Node, e?: Edge) => string): { tree: DataNode[]; ids: Map<string, string> } {
  const nodes = new Map(trace.nodes.map((n) => [n.id, n]));
  const ids = new Map<string, string>();
  const below = (id: string) => (trace.direction === 'backward' ? trace.edges.filter((e) => e.to === id).map((e) => [e.from, e] as const) : trace.edges.filter((e) => e.from === id).map((e) => [e.to, e] as const));
  const build = (id: string, edge: Edge | undefined, path: Set<string>, key: string): DataNode => {
    ids.set(key, id);
    const n = nodes.get(id);
    const children = path.has(id) ? [] : below(id).map(([next, e], i) => build(next, e, new Set([...path, id]), `${key}/${i}`));
    return { key, title: n ? label(n, edge) : id, children };
  };
  return { tree: [build(trace.root, undefined, new Set(), '0')], ids };
}

/**
 * Traceability (S1-5.4.5-d): a batch or serial number traced backward (components, suppliers,
 * purchase orders, how it was made) or forward (what it went into, the customers it reached), the
 * search in the URL; and for a suspect batch the recall report, downloadable as CSV.
 */
export default function Trace() {
  const { t } = useTranslation('quality');
  const { client } = useSession();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm();
  const [trace, setTrace] = useState<TraceGraph | null>(null);
  const [recall, setRecall] = useState<Recall | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<FriendlyError | null>(null);
  const kind = params.get('kind') === 'serial' ? 'serial' : 'batch';
  const no = params.get('no') ?? '';
  const materialCode = params.get('material') || undefined;
  const direction = params.get('direction') === 'forward' ? 'forward' : 'backward';
  const depth = params.get('depth') ? Number(params.get('depth')) : undefined;

  useEffect(() => {
    form.setFieldsValue({ kind, no, materialCode, direction, depth });
    setRecall(null);
    setSelected(null);
    if (!no) return setTrace(null);
    setError(null);
    const q = { materialCode, direction, depth };
    (kind === 'serial' ? client.trace.serial(no, q) : client.trace.batch(no, q)).then(setTrace, (err) => {
      setTrace(null);
      const e = friendly(err, t);
      setError(e);
      // The query's field errors (materialCode, depth, direction) next to their fields.
      const names = new Set(['materialCode', 'depth', 'direction']);
      form.setFields(e.fields.filter((f) => names.has(String(f.name[0]))).map((f) => ({ name: f.name as never, errors: [f.message] })));
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params.toString()]);

  const nodeLabel = (n: Node, e?: Edge) => {
    const what =
      n.type === 'supplier' || n.type === 'customer'
        ? `${t(`trace.node.${n.type}`)} ${n.partnerCode} · ${n.partnerName}`
        : `${n.materialCode} · ${n.materialName}${n.batchNo ? ` · ${t('trace.batch')} ${n.batchNo}` : ''}${n.serialNo ? ` · ${t('trace.serial')} ${n.serialNo}` : ''}`;
    const doc = e?.production?.orderDocNo ?? e?.purchase?.purchaseOrderDocNo ?? e?.delivery?.outboundDocNo;
    return e ? `${what}  (${t(`trace.edge.${e.type}`)} ${e.quantity}${doc ? ` · ${doc}` : ''})` : what;
  };
  const { tree, ids } = useMemo(() => (trace ? treeOf(trace, nodeLabel) : { tree: [], ids: new Map<string, string>() }), [trace, t]); // eslint-disable-line react-hooks/exhaustive-deps
  const node = trace && selected ? trace.nodes.find((n) => n.id === ids.get(selected)) : undefined;

  async function loadRecall() {
    setError(null);
    try {
      setRecall(await client.trace.recall({ batchNo: no, materialCode }));
    } catch (err) {
      setError(friendly(err, t));
    }
  }
  async function downloadCsv() {
    try {
      const csv = await client.trace.recallCsv({ batchNo: no, materialCode });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(new Blob(['\ufeff', csv], { type: 'text/csv;charset=utf-8' }));
      a.download = `recall-${no}.csv`;
      a.click();
    } catch (err) {
      setError(friendly(err, t));
    }
  }

  return (
    <Page title={t('trace.title')} help={t('trace.help')}>
      <Form
        form={form}
        layout="inline"
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: { kind: string; no?: string; materialCode?: string; direction: string; depth?: number }) => {
          const p = new URLSearchParams();
          p.set('kind', v.kind);
          if (v.no?.trim()) p.set('no', v.no.trim());
          if (v.materialCode?.trim()) p.set('material', v.materialCode.trim());
          p.set('direction', v.direction);
          if (v.depth) p.set('depth', String(v.depth));
          setParams(p);
        }}
      >
        <Form.Item name="kind" label={t('trace.kind')}>
          <Radio.Group optionType="button" options={[{ value: 'batch', label: t('trace.batch') }, { value: 'serial', label: t('trace.serial') }]} />
        </Form.Item>
        <Form.Item name="no" label={t('trace.no')} rules={[{ required: true, message: t('trace.noRequired') }]}>
          <Input allowClear data-testid="trace-no" aria-label={t('trace.no')} />
        </Form.Item>
        <Form.Item name="materialCode" label={t('trace.material')}>
          <Input allowClear placeholder={t('trace.materialHelp')} aria-label={t('trace.material')} />
        </Form.Item>
        <Form.Item name="direction" label={t('trace.direction')}>
          <Radio.Group optionType="button" options={[{ value: 'backward', label: t('trace.backward') }, { value: 'forward', label: t('trace.forward') }]} data-testid="trace-direction" />
        </Form.Item>
        <Form.Item name="depth" label={t('trace.depth')}>
          <InputNumber min={1} max={20} precision={0} aria-label={t('trace.depth')} style={{ width: 80 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="trace-search">{t('trace.search')}</Button>
        </Form.Item>
      </Form>
      <ErrorAlert error={error} />
      {trace && (
        <Row gutter={16}>
          <Col xs={24} xl={14}>
            <Card size="small" title={t(trace.direction === 'backward' ? 'trace.treeBackward' : 'trace.treeForward')} extra={trace.truncated ? t('trace.truncated') : undefined}>
              <div data-testid="trace-tree">
                {/* A new trace is a new tree: defaultExpandAll opens only the tree it is mounted with. */}
                <Tree key={`${trace.root}|${trace.direction}|${trace.depth}`} treeData={tree} defaultExpandAll showLine selectedKeys={selected ? [selected] : []} onSelect={(keys) => setSelected(keys.length ? String(keys[0]) : null)} />
              </div>
            </Card>
          </Col>
          <Col xs={24} xl={10}>
            <Card size="small" title={t('trace.details')}>
              {!node ? (
                <Typography.Text type="secondary">{t('trace.pick')}</Typography.Text>
              ) : (
                <Descriptions size="small" bordered column={1} data-testid="trace-node">
                  <Descriptions.Item label={t('trace.nodeType')}>{t(`trace.node.${node.type}`)}</Descriptions.Item>
                  {node.materialCode && <Descriptions.Item label={t('trace.material')}>{`${node.materialCode} · ${node.materialName}`}</Descriptions.Item>}
                  {node.batchNo && <Descriptions.Item label={t('trace.batch')}>{node.batchNo}</Descriptions.Item>}
                  {node.serialNo && <Descriptions.Item label={t('trace.serial')}>{node.serialNo}</Descriptions.Item>}
                  {node.partnerCode && <Descriptions.Item label={t(`trace.node.${node.type}`)}>{`${node.partnerCode} · ${node.partnerName}`}</Descriptions.Item>}
                  {(node.made ?? []).map((m) => (
                    <Descriptions.Item key={m.receiptId} label={t('trace.made')}>
                      <div>
                        <div>{`${m.orderDocNo} · ${m.receiptDocNo} · ${m.quantity} ${node.baseUnit ?? ''}${m.bomRevision !== null ? ` · BOM ${m.bomRevision}` : ''}`}</div>
                        {m.operators.length > 0 && <div>{t('trace.operators')}: {m.operators.join(', ')}</div>}
                        {m.stationCodes.length > 0 && <div>{t('trace.stations')}: {m.stationCodes.join(', ')}</div>}
                        {m.equipmentCodes.length > 0 && <div>{t('trace.equipment')}: {m.equipmentCodes.join(', ')}</div>}
                      </div>
                    </Descriptions.Item>
                  ))}
                  {(node.stock ?? []).map((s) => (
                    <Descriptions.Item key={`${s.warehouseId}|${s.binId}`} label={t('trace.inStock')}>{`${s.warehouseCode}${s.binCode ? ` / ${s.binCode}` : ''}: ${s.quantity} ${node.baseUnit ?? ''}`}</Descriptions.Item>
                  ))}
                  {node.ledger && <Descriptions.Item label={t('trace.movements')}>{node.ledger.movements}</Descriptions.Item>}
                </Descriptions>
              )}
            </Card>
            {kind === 'batch' && (
              <Card size="small" title={t('trace.recall')} style={{ marginTop: 16 }}>
                <Typography.Paragraph type="secondary">{t('trace.recallHelp')}</Typography.Paragraph>
                <Space>
                  <Button onClick={() => void loadRecall()} data-testid="recall-load">{t('trace.recallLoad')}</Button>
                  <Button onClick={() => void downloadCsv()} data-testid="recall-csv">{t('common:actions.export')}</Button>
                </Space>
              </Card>
            )}
          </Col>
        </Row>
      )}
      {recall && (
        <Card size="small" style={{ marginTop: 16 }} title={t('trace.recallOf', { material: recall.suspect.materialCode, batch: recall.suspect.batchNo })} data-testid="recall">
          <Typography.Paragraph data-testid="recall-summary">
            {t('trace.affected', { n: recall.affectedBatches, c: recall.customers.length })}
            {recall.customers.length > 0 && ` ${recall.customers.map((c) => `${c.customerCode} ${c.customerName} (${c.deliveries.join(', ')})`).join('; ')}`}
          </Typography.Paragraph>
          <Table
            size="small"
            rowKey={(r) => `${r.materialCode}|${r.batchNo}|${r.serialNo}|${r.status}|${r.warehouseCode}|${r.binCode}|${r.outboundDocNo}`}
            pagination={recall.rows.length > 50 ? { pageSize: 50 } : false}
            scroll={{ x: 'max-content' }}
            dataSource={recall.rows}
            columns={[
              { title: t('trace.material'), dataIndex: 'materialCode', render: (v: string, r) => `${v} · ${r.materialName}` },
              { title: t('trace.batch'), dataIndex: 'batchNo', render: (v: string | null, r) => v ?? r.serialNo ?? '—' },
              { title: t('trace.depthCol'), dataIndex: 'depth', align: 'right' },
              { title: t('trace.status'), dataIndex: 'status', render: (v: string) => t(`trace.rstatus.${v}`) },
              { title: t('trace.where'), key: 'where', render: (_: unknown, r) => (r.status === 'in_stock' ? `${r.warehouseCode}${r.binCode ? ` / ${r.binCode}` : ''}` : `${r.customerCode} · ${r.customerName} · ${r.outboundDocNo}`) },
              { title: t('trace.quantity'), dataIndex: 'quantity', align: 'right', render: (v: string, r) => `${v} ${r.baseUnit}` },
            ]}
          />
        </Card>
      )}
    </Page>
  );
}
