import type { PurchasingProgressRow, SalesProgressRow } from '@mes/sdk';
import type { EChartsOption } from 'echarts';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Board, BoardPanel, BoardTable } from '../../../components/Board';
import { Chart } from '../../../components/Chart';
import { useLive } from '../../../components/useLive';

const pct = (done: string, of: string) => (Number(of) > 0 ? `${Math.round((Number(done) / Number(of)) * 100)}%` : '—');

/** Sales shipped vs ordered and purchasing received vs ordered, live from order and stock events. */
export default function ProgressBoard() {
  const { t } = useTranslation('reports');
  const { client, can } = useSession();
  const [sales, setSales] = useState<SalesProgressRow[]>([]);
  const [purchasing, setPurchasing] = useState<PurchasingProgressRow[]>([]);
  const refresh = useCallback(() => {
    void client.sales.progress({ limit: 200 }).then((p) => setSales(p.items));
    if (can('purchasing:read')) void client.purchasing.progress({ limit: 200 }).then((p) => setPurchasing(p.items));
  }, [client, can]);
  const live = useLive(['sales_*', 'purchase_*'], refresh);
  const top = [...sales].sort((a, b) => Number(b.open) - Number(a.open)).slice(0, 10);
  const option: EChartsOption = {
    backgroundColor: 'transparent',
    textStyle: { fontSize: 18, color: '#e6edf7' },
    legend: { textStyle: { color: '#e6edf7', fontSize: 18 } },
    grid: { left: 140, right: 24, top: 40, bottom: 24 },
    xAxis: { type: 'value', axisLabel: { color: '#bfcbd9' } },
    yAxis: { type: 'category', data: top.map((r) => r.materialCode), axisLabel: { color: '#e6edf7', fontSize: 18 } },
    series: [
      { name: t('progress.shipped'), type: 'bar', stack: 'q', data: top.map((r) => Number(r.shipped)), itemStyle: { color: '#73d13d' } },
      { name: t('progress.open'), type: 'bar', stack: 'q', data: top.map((r) => Number(r.open)), itemStyle: { color: '#ffa940' } },
    ],
  };
  return (
    <Board title={t('board.title')} live={live}>
      <BoardPanel title={t('progress.sales')} span={14}>
        <Chart option={option} height={420} label={t('progress.sales')} />
        <BoardTable testId="board-sales" head={[t('progress.partner'), t('progress.material'), t('progress.ordered'), t('progress.shipped'), t('progress.rate')]} rows={top.map((r) => [r.customerName, r.materialCode, r.ordered, r.shipped, pct(r.shipped, r.ordered)])} />
      </BoardPanel>
      <BoardPanel title={t('progress.purchasing')} span={10}>
        <BoardTable testId="board-purchasing" head={[t('progress.partner'), t('progress.ordered'), t('progress.received'), t('progress.rate')]} rows={purchasing.slice(0, 12).map((r) => [r.key.code, r.ordered, r.received, pct(r.received, r.ordered)])} />
      </BoardPanel>
    </Board>
  );
}
