import type { ProductionWorkReport } from '@mes/sdk';
import type { TableColumnsType } from 'antd';
import type { TFunction } from 'i18next';

/** The work-report columns the order detail and the work-report list share. */
export function reportColumns(t: TFunction): TableColumnsType<ProductionWorkReport> {
  return [
    { title: t('reports.docNo'), dataIndex: 'docNo' },
    { title: t('reports.operation'), dataIndex: 'operationSeq', render: (v: number, r) => `${v} · ${r.operationName}` },
    { title: t('reports.good'), dataIndex: 'goodQuantity', align: 'right', render: (v: string, r) => `${v} ${r.baseUnit}` },
    { title: t('reports.scrap'), dataIndex: 'scrapQuantity', align: 'right' },
    { title: t('reports.pending'), dataIndex: 'pendingInspectionQuantity', align: 'right' },
    { title: t('reports.scrapReason'), dataIndex: 'scrapReason' },
    { title: t('reports.operator'), dataIndex: 'operator' },
    { title: t('reports.wage'), dataIndex: 'wageAmount', align: 'right' },
    { title: t('reports.endedAt'), dataIndex: 'endedAt', render: (v: string) => new Date(v).toLocaleString() },
  ];
}
