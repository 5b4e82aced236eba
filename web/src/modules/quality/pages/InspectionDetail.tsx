import type { QualityDefectCode, QualityInspection, QualityStandard } from '@mes/sdk';
import { Button, Descriptions, Form, Input, Select, Space, Table, Tag, Typography, message } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { useSubmit } from '../../../components/useSubmit';
import { DISPOSITIONS, JUDGEMENTS, JUDGEMENT_COLORS } from './labels';

type Item = QualityStandard['items'][number];
/** A form of more cells than this is no way to record results: the API and the CLI take files. */
const MAX_CELLS = 2000;

const limits = (i: Item) => `${i.lowerLimit ?? '−∞'} ~ ${i.upperLimit ?? '+∞'}${i.unit ? ` ${i.unit}` : ''}`;

/**
 * One inspection order: the lot and its sampling plan; while open, a grid of every sample × item
 * (a measured value against its limits, or pass/fail with the defect seen) sent at once, every
 * field error next to its cell; then the automatic judgement and its reason, the review and the
 * dispositions.
 */
export default function InspectionDetail() {
  const { t } = useTranslation('quality');
  const { id = '' } = useParams();
  const { client, can } = useSession();
  const [inspection, setInspection] = useState<QualityInspection | null>(null);
  const [items, setItems] = useState<Item[]>([]);
  const [defects, setDefects] = useState<QualityDefectCode[]>([]);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [msg, holder] = message.useMessage();

  const load = useCallback(async () => {
    try {
      const i = await client.quality.inspections.get(id);
      // Purchasing's gate records an incoming inspection without a plan: a judged lot with no items.
      if (i.planId) {
        const plan = await client.quality.plans.get(i.planId);
        // The items the inspection was started with: the standard may have a newer items version since.
        const standard = await client.quality.standards.get(plan.standardId, { itemsVersion: i.standardItemsVersion });
        setItems(standard.items.filter((x) => plan.itemCodes.length === 0 || plan.itemCodes.includes(x.code)));
      }
      setInspection(i);
      setDefects((await client.quality.defectCodes.list({ limit: 200 })).items);
    } catch (err) {
      setError(friendly(err, t));
    }
  }, [client, id, t]);
  useEffect(() => {
    void load();
  }, [load]);

  const i = inspection;
  const title = i ? t('inspection.title', { docNo: i.docNo }) : t('inspections.title');
  const judgementTag = (j: string | null) => (j ? <Tag color={JUDGEMENT_COLORS[j]} style={{ color: '#1f1f1f' }}>{t(`judgement.${j}`)}</Tag> : '—');
  const warehouseSpec = { name: 'warehouseId', label: t('inspection.warehouse'), kind: 'warehouse' as const };

  return (
    <Page
      title={title}
      help={t('inspection.help')}
      extra={
        i && (
          <Space wrap>
            {i.status === 'judged' && !i.reviewedAt && can('quality:review') && (
              <FormDrawer
                label={t('inspection.review')}
                title={t('inspection.reviewTitle')}
                testId="inspection-review"
                fields={[
                  { name: 'judgement', label: t('inspection.newJudgement'), kind: 'select', required: true, options: JUDGEMENTS.map((v) => ({ value: v, label: t(`judgement.${v}`) })) },
                  { name: 'reason', label: t('inspection.reviewReasonField'), kind: 'textarea', required: true },
                ]}
                send={(b) => client.quality.inspections.review(i.id, { ...(b as { judgement: 'good'; reason: string }), version: i.version })}
                onDone={(next) => {
                  setInspection(next);
                  void msg.success(t('inspection.reviewedDone'));
                }}
              />
            )}
            {i.status === 'judged' && can('quality:write') && (
              <FormDrawer
                label={t('inspection.dispose')}
                title={t('inspection.disposeTitle')}
                testId="inspection-dispose"
                extra={<Typography.Paragraph data-testid="dispose-left">{t('inspection.left', { lot: i.lotSize, rejected: i.rejectedQuantity ?? '0', a: i.disposedAccepted, r: i.disposedRejected })}</Typography.Paragraph>}
                fields={[]}
                lines={[
                  { name: 'kind', label: t('inspection.kind'), kind: 'select', required: true, options: DISPOSITIONS.map((v) => ({ value: v, label: t(`disposition.${v}`) })) },
                  { name: 'quantity', label: t('inspection.quantity'), kind: 'quantity', required: true },
                  warehouseSpec,
                  { name: 'approvedBy', label: t('inspection.approvedBy') },
                  { name: 'reason', label: t('inspection.lineReason') },
                ]}
                send={(b) => client.quality.inspections.dispose(i.id, b as never)}
                onDone={(next) => {
                  setInspection(next);
                  void msg.success(t('inspection.disposed'));
                }}
              />
            )}
          </Space>
        )
      }
    >
      {holder}
      <Typography.Paragraph>
        <Link to="/quality/inspections">← {t('inspection.back')}</Link>
      </Typography.Paragraph>
      <ErrorAlert error={error} />
      {i && (
        <>
          <Descriptions size="small" bordered column={{ xs: 1, md: 2, xl: 3 }} style={{ marginBottom: 16 }} data-testid="inspection-header">
            <Descriptions.Item label={t('inspections.type')}>{t(`type.${i.inspectionType}`)}</Descriptions.Item>
            <Descriptions.Item label={t('inspections.material')}>{i.materialCode}</Descriptions.Item>
            <Descriptions.Item label={t('inspections.batchNo')}>{i.batchNo ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('inspections.plan')}>{i.planCode}</Descriptions.Item>
            <Descriptions.Item label={t('inspections.lotSize')}>{i.lotSize}</Descriptions.Item>
            <Descriptions.Item label={t('inspections.sample')}>{`${i.sampleSize} / ${i.acceptNumber} / ${i.rejectNumber}`}{i.codeLetter ? ` (${t('inspection.codeLetter')} ${i.codeLetter})` : ''}</Descriptions.Item>
            {i.severity && <Descriptions.Item label={t('inspection.severity')}>{t(`severity.${i.severity}`)}</Descriptions.Item>}
            <Descriptions.Item label={t('inspections.status')}><span data-testid="inspection-status">{t(`istatus.${i.status}`)}</span></Descriptions.Item>
            <Descriptions.Item label={t('inspections.judgement')}><span data-testid="inspection-judgement">{judgementTag(i.judgement)}</span></Descriptions.Item>
            {i.judgementReason && <Descriptions.Item label={t('inspection.reason')} span={2}><span data-testid="inspection-reason">
                  {i.defectives !== null && <div>{t('inspection.summary', { d: i.defectives, n: i.sampleSize, ac: i.acceptNumber, re: i.rejectNumber })}</div>}
                  <Typography.Text type="secondary">{i.judgementReason}</Typography.Text>
                </span></Descriptions.Item>}
            {i.defectives !== null && <Descriptions.Item label={t('inspections.defectives')}>{i.defectives}</Descriptions.Item>}
            {i.judgedBy && <Descriptions.Item label={t('inspection.judgedBy')}>{`${i.judgedBy} · ${new Date(i.judgedAt!).toLocaleString()}`}</Descriptions.Item>}
            {i.reviewedAt && <Descriptions.Item label={t('inspection.automatic')}>{judgementTag(i.automaticJudgement)}</Descriptions.Item>}
            {i.reviewedAt && <Descriptions.Item label={t('inspection.reviewReason')}>{`${i.reviewReason} (${i.reviewedBy})`}</Descriptions.Item>}
            {i.rejectedQuantity !== null && <Descriptions.Item label={t('inspection.rejected')}>{i.rejectedQuantity}</Descriptions.Item>}
            <Descriptions.Item label={t('inspection.disposedAccepted')}>{i.disposedAccepted}</Descriptions.Item>
            <Descriptions.Item label={t('inspection.disposedRejected')}>{i.disposedRejected}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={2} style={{ fontSize: 18 }}>{t('inspection.results')}</Typography.Title>
          {i.status === 'open' && can('quality:inspect') ? (
            i.sampleSize * items.length > MAX_CELLS ? (
              <Typography.Paragraph>{t('inspection.tooMany', { n: MAX_CELLS })}</Typography.Paragraph>
            ) : (
              <ResultsForm inspection={i} items={items} defects={defects} onDone={(next) => { setInspection(next); void msg.success(t('inspection.recorded', { judgement: t(`judgement.${next.judgement}`) })); }} />
            )
          ) : (
            <ResultsTable inspection={i} items={items} />
          )}
          {i.dispositions.length > 0 && (
            <>
              <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>{t('inspection.dispositions')}</Typography.Title>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                data-testid="inspection-dispositions"
                dataSource={i.dispositions}
                columns={[
                  { title: '#', dataIndex: 'lineNo' },
                  { title: t('inspection.kind'), dataIndex: 'kind', render: (v: string) => t(`disposition.${v}`) },
                  { title: t('inspection.quantity'), dataIndex: 'quantity', align: 'right' },
                  { title: t('inspection.approvedBy'), dataIndex: 'approvedBy', render: (v: string | null) => v ?? '—' },
                  { title: t('inspection.lineReason'), dataIndex: 'reason' },
                  { title: t('inspection.disposedBy'), dataIndex: 'createdBy' },
                  { title: t('inspections.createdAt'), dataIndex: 'createdAt', render: (v: string) => new Date(v).toLocaleString() },
                ]}
              />
            </>
          )}
        </>
      )}
    </Page>
  );
}

/** Every sample × item at once: `results[k]` in the order sent, so `results[k].value` errors land on their cell. */
function ResultsForm({ inspection, items, defects, onDone }: { inspection: QualityInspection; items: Item[]; defects: QualityDefectCode[]; onDone(next: QualityInspection): void }) {
  const { t } = useTranslation('quality');
  const { client } = useSession();
  const [form] = Form.useForm();
  const samples = Array.from({ length: inspection.sampleSize }, (_, n) => n + 1);
  const k = (sampleNo: number, itemIndex: number) => (sampleNo - 1) * items.length + itemIndex;
  const { submit, submitting, error, unplaced } = useSubmit(
    form,
    (v: { results?: { value?: string; passed?: string; defectCode?: string }[] }) =>
      client.quality.inspections.recordResults(inspection.id, {
        results: samples.flatMap((s) =>
          items.map((item, j) => {
            const cell = v.results?.[k(s, j)] ?? {};
            const base = { sampleNo: s, itemCode: item.code };
            if (item.kind === 'quantitative') return { ...base, ...(cell.value?.trim() ? { value: cell.value.trim() } : {}), ...(item.unit ? { unit: item.unit } : {}) };
            const passed = cell.passed !== 'false';
            return { ...base, passed, ...(!passed && cell.defectCode ? { defectCode: cell.defectCode } : {}) };
          }),
        ),
      }),
    onDone,
  );
  const defectOptions = defects.filter((d) => d.status === 'active').map((d) => ({ value: d.code, label: `${d.code} · ${d.name}` }));
  return (
    <Form form={form} onFinish={submit} data-testid="results-form" initialValues={{ results: samples.flatMap(() => items.map((item) => (item.kind === 'qualitative' ? { passed: 'true' } : {}))) }}>
      <ErrorAlert error={error} unplaced={unplaced} />
      <Table
        size="small"
        rowKey={(s) => s}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={samples}
        data-testid="results-grid"
        columns={[
          { title: t('inspection.sampleNo'), key: 'n', render: (s: number) => s, fixed: 'left' },
          ...items.map((item, j) => ({
            title: (
              <div>
                <div>{`${item.code} ${item.name}`}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>{item.kind === 'quantitative' ? `${limits(item)}${item.nominal ? ` · ${t('inspection.nominal', { v: item.nominal })}` : ''}` : t('kind.qualitative')}</Typography.Text>
              </div>
            ),
            key: item.code,
            render: (s: number) =>
              item.kind === 'quantitative' ? (
                <Form.Item name={['results', k(s, j), 'value']} style={{ margin: 0 }}>
                  <Input inputMode="decimal" style={{ width: 120 }} aria-label={`${t('inspection.sampleNo')} ${s} ${item.name}`} data-testid={`result-${s}-${item.code}`} />
                </Form.Item>
              ) : (
                <Space size={4}>
                  <Form.Item name={['results', k(s, j), 'passed']} style={{ margin: 0 }}>
                    <Select showSearch optionFilterProp="label" style={{ width: 110 }} aria-label={`${t('inspection.sampleNo')} ${s} ${item.name}`} data-testid={`result-${s}-${item.code}`} options={[{ value: 'true', label: t('inspection.pass') }, { value: 'false', label: t('inspection.fail') }]} />
                  </Form.Item>
                  <Form.Item noStyle shouldUpdate>
                    {() =>
                      form.getFieldValue(['results', k(s, j), 'passed']) === 'false' && (
                        <Form.Item name={['results', k(s, j), 'defectCode']} style={{ margin: 0 }}>
                          <Select allowClear showSearch optionFilterProp="label" style={{ width: 180 }} placeholder={item.defectCode ?? t('inspection.defectCode')} aria-label={`${t('inspection.defectCode')} ${s} ${item.name}`} data-testid={`defect-${s}-${item.code}`} options={defectOptions} />
                        </Form.Item>
                      )
                    }
                  </Form.Item>
                </Space>
              ),
          })),
        ]}
      />
      <Button type="primary" htmlType="submit" loading={submitting} style={{ marginTop: 16 }} data-testid="results-submit">
        {t('inspection.record')}
      </Button>
    </Form>
  );
}

/** The recorded results: a failed cell says so in a word and a symbol, not only in red. */
function ResultsTable({ inspection, items }: { inspection: QualityInspection; items: Item[] }) {
  const { t } = useTranslation('quality');
  if (inspection.results.length === 0) return <Typography.Paragraph>{t('inspection.noResults')}</Typography.Paragraph>;
  const cell = new Map(inspection.results.map((r) => [`${r.sampleNo}|${r.itemCode}`, r]));
  const samples = [...new Set(inspection.results.map((r) => r.sampleNo))].sort((a, b) => a - b);
  return (
    <Table
      size="small"
      rowKey={(s) => s}
      pagination={samples.length > 50 ? { pageSize: 50 } : false}
      scroll={{ x: 'max-content' }}
      dataSource={samples}
      data-testid="results-table"
      columns={[
        { title: t('inspection.sampleNo'), key: 'n', render: (s: number) => s },
        ...items.map((item) => ({
          title: `${item.code} ${item.name}${item.kind === 'quantitative' ? ` (${limits(item)})` : ''}`,
          key: item.code,
          render: (s: number) => {
            const r = cell.get(`${s}|${item.code}`);
            if (!r) return '—';
            const text = r.value ?? (r.passed ? t('inspection.pass') : t('inspection.fail'));
            return r.passed ? text : <span style={{ color: '#cf1322' }} title={t('inspection.out')}>✖ {text}{r.defectCode ? ` · ${r.defectCode}` : ''}</span>;
          },
        })),
      ]}
    />
  );
}
