import type { ProductionOrderProgress, ProductionProgress } from '@mes/sdk';
import type { EChartsOption } from 'echarts';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { friendly } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { Board, BoardPanel, BoardTable } from '../../../components/Board';
import { Chart } from '../../../components/Chart';
import { useLive, type LiveSource } from '../../../components/useLive';

/** Orders on the screen at once; more are shown page by page, a page every PAGE_MS. */
const PAGE_ROWS = 10;
const PAGE_MS = 12_000;
/** Running operations listed beside the chart. */
const ACTIVE_ROWS = 8;

const num = (s: string) => Number(s);
/** Display only (the exact decimals are on the order page): at most three decimals. */
const shown = (n: number) => String(Math.round(n * 1000) / 1000);

/** What a row of the kanban says about an order: finished good (the last operation's), scrap of every operation, the operations on the floor. */
export function orderRow(o: ProductionOrderProgress) {
  const ops = [...o.operations].sort((a, b) => a.seq - b.seq);
  const good = ops.length ? num(ops.at(-1)!.good) : 0;
  const scrap = ops.reduce((n, op) => n + num(op.scrap), 0);
  const planned = num(o.quantity);
  const percent = planned > 0 ? Math.min(100, Math.floor((good / planned) * 100)) : 0;
  const onFloor = ops.filter((op) => op.status === 'in_progress' || op.status === 'paused');
  return { good: shown(good), scrap: shown(scrap), percent, onFloor };
}

function ProgressBar({ percent, label }: { percent: number; label: string }) {
  return (
    <div style={{ display: 'flex', alignItems: 'center', gap: 10, justifyContent: 'flex-end' }}>
      <div role="progressbar" aria-label={label} aria-valuenow={percent} aria-valuemin={0} aria-valuemax={100} style={{ width: 160, height: 18, background: '#26324a', borderRadius: 9, overflow: 'hidden' }}>
        <div style={{ width: `${percent}%`, height: '100%', background: percent >= 100 ? '#73d13d' : '#4096ff' }} />
      </div>
      <span style={{ minWidth: 72, textAlign: 'right' }}>{percent}%</span>
    </div>
  );
}

const COUNT_COLORS = { inProgress: '#4096ff', paused: '#faad14', pending: '#8c8c8c', completed: '#73d13d' } as const;

/**
 * The workshop e-kanban on a TV (S1-4.3.6, S1-5.4.4-l): per workshop (`?workshop=<code>`, all by
 * default) and production line (`&line=<code>`) the open and late orders, each order's planned quantity against good and scrap with a
 * progress bar, the operation on the floor, late orders in red with the days late in words; the
 * operations running now with station and operator; operations per work centre. Live from the
 * production feed (production:read is all a board's key needs), and every 30 s anyway.
 */
export default function WorkshopKanban() {
  const { t } = useTranslation('production');
  const { client } = useSession();
  const [params] = useSearchParams();
  const workshop = params.get('workshop') ?? undefined;
  const line = params.get('line') ?? undefined;
  const [data, setData] = useState<ProductionProgress | null>(null);
  const [choices, setChoices] = useState<ProductionProgress['workshops']>([]);
  const [lines, setLines] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(0);

  // Only the latest read is shown: an answer for the workshop or line shown before comes too late.
  const reads = useRef(0);
  const refresh = useCallback(() => {
    const n = ++reads.current;
    void (async () => {
      try {
        const p = await client.production.progress({ workshopCode: workshop, lineCode: line, limit: 200 });
        if (n !== reads.current) return;
        setData(p);
        setError(null);
        // The choosers list every workshop with work on the floor, and the lines of the workshop shown, also while one is shown.
        setChoices(workshop || line ? (await client.production.progress({ limit: 1 })).workshops : p.workshops);
        const ofShop = line ? await client.production.progress({ workshopCode: workshop, limit: 500 }) : p;
        setLines([...new Set(ofShop.orders.flatMap((o) => (o.lineCode ? [o.lineCode] : [])))].sort());
      } catch (err) {
        setError(friendly(err, t).message);
      }
    })();
  }, [client, workshop, line, t]);
  const source = useMemo<LiveSource>(() => ({ key: 'production', open: (c, options) => c.production.feed({}, options) }), []);
  const live = useLive(source, refresh, 30_000);
  // A workshop or line chosen on the board reads at once, not at the next event or the 30 s backstop.
  const scope = `${workshop ?? ''}|${line ?? ''}`;
  const shownScope = useRef(scope);
  useEffect(() => {
    if (shownScope.current === scope) return;
    shownScope.current = scope;
    refresh();
  }, [scope, refresh]);

  const orders = data?.orders ?? [];
  const pages = Math.max(1, Math.ceil(orders.length / PAGE_ROWS));
  useEffect(() => {
    if (pages <= 1) return setPage(0);
    const timer = setInterval(() => setPage((n) => (n + 1) % pages), PAGE_MS);
    return () => clearInterval(timer);
  }, [pages]);
  const shownOrders = orders.slice((page % pages) * PAGE_ROWS, (page % pages + 1) * PAGE_ROWS);

  const shops = data?.workshops ?? [];
  const total = (k: 'openOrders' | 'lateOrders') => shops.reduce((n, s) => n + s[k], 0);
  const ops = (k: keyof typeof COUNT_COLORS) => shops.reduce((n, s) => n + s.operations[k], 0);
  const current = workshop ? shops.find((s) => s.workshopCode === workshop) : undefined;
  const shopTitle = workshop ? t('kanban.titleOf', { workshop: current?.workshopName ? `${workshop} ${current.workshopName}` : workshop }) : t('kanban.title');
  const title = line ? t('kanban.titleLine', { title: shopTitle, line }) : shopTitle;
  const shopQuery = workshop ? `workshop=${encodeURIComponent(workshop)}` : '';

  const centres = shops.flatMap((s) => s.workCentres);
  const chart: EChartsOption = {
    backgroundColor: 'transparent',
    textStyle: { fontSize: 18, color: '#e6edf7' },
    legend: { top: 0, textStyle: { color: '#e6edf7', fontSize: 18 } },
    grid: { left: 140, right: 24, top: 56, bottom: 32 },
    xAxis: { type: 'value', minInterval: 1, axisLabel: { color: '#bfcbd9', fontSize: 16 } },
    yAxis: { type: 'category', data: centres.map((c) => c.workCentreCode), axisLabel: { color: '#e6edf7', fontSize: 18 } },
    series: (Object.keys(COUNT_COLORS) as (keyof typeof COUNT_COLORS)[]).map((k) => ({
      name: t(`kanban.ops.${k}`), type: 'bar', stack: 'ops', data: centres.map((c) => c.operations[k]), itemStyle: { color: COUNT_COLORS[k] },
    })),
  };

  const kpis: [string, number, string?][] = [
    [t('kanban.kpi.open'), total('openOrders')],
    [t('kanban.kpi.late'), total('lateOrders'), total('lateOrders') > 0 ? '#ff7875' : undefined],
    [t('kanban.kpi.running'), ops('inProgress')],
    [t('kanban.kpi.paused'), ops('paused'), ops('paused') > 0 ? '#ffc53d' : undefined],
    [t('kanban.kpi.done'), ops('completed')],
  ];

  return (
    <Board title={title} live={live}>
      <BoardPanel title={t('kanban.overview')} span={24}>
        <div style={{ display: 'flex', gap: 48, flexWrap: 'wrap', alignItems: 'baseline' }} data-testid="kanban-kpis">
          {kpis.map(([label, n, color]) => (
            <div key={label} style={{ fontSize: 26 }}>
              {label} <strong style={{ fontSize: 48, color: color ?? '#fff', marginInlineStart: 8 }}>{n}</strong>
            </div>
          ))}
          <nav aria-label={t('kanban.workshops')} style={{ marginInlineStart: 'auto', fontSize: 22, display: 'flex', gap: 20, flexWrap: 'wrap' }} data-testid="kanban-workshops">
            <Link to="?" style={{ color: workshop ? '#69b1ff' : '#fff', fontWeight: workshop ? 400 : 700 }} aria-current={workshop ? undefined : 'page'}>{t('kanban.allWorkshops')}</Link>
            {choices.filter((s) => s.workshopCode).map((s) => (
              <Link key={s.workshopCode} to={`?workshop=${encodeURIComponent(s.workshopCode!)}`} style={{ color: s.workshopCode === workshop ? '#fff' : '#69b1ff', fontWeight: s.workshopCode === workshop ? 700 : 400 }} aria-current={s.workshopCode === workshop ? 'page' : undefined}>
                {s.workshopCode} {s.workshopName}
              </Link>
            ))}
          </nav>
          {lines.length > 0 && (
            <nav aria-label={t('kanban.lines')} style={{ fontSize: 22, display: 'flex', gap: 20, flexWrap: 'wrap', width: '100%', justifyContent: 'flex-end' }} data-testid="kanban-lines">
              <Link to={`?${shopQuery}`} style={{ color: line ? '#69b1ff' : '#fff', fontWeight: line ? 400 : 700 }} aria-current={line ? undefined : 'page'}>{t('kanban.allLines')}</Link>
              {lines.map((l) => (
                <Link key={l} to={`?${shopQuery ? `${shopQuery}&` : ''}line=${encodeURIComponent(l)}`} style={{ color: l === line ? '#fff' : '#69b1ff', fontWeight: l === line ? 700 : 400 }} aria-current={l === line ? 'page' : undefined} data-testid={`kanban-line-${l}`}>
                  {t('kanban.line', { line: l })}
                </Link>
              ))}
            </nav>
          )}
        </div>
        {error && <p role="alert" style={{ fontSize: 26, color: '#ff7875', margin: '12px 0 0' }} data-testid="kanban-error">{error}</p>}
      </BoardPanel>
      <BoardPanel title={pages > 1 ? `${t('kanban.orders')} · ${t('kanban.page', { n: (page % pages) + 1, of: pages })}` : t('kanban.orders')} span={24}>
        {orders.length === 0 ? (
          <p style={{ fontSize: 26, color: '#bfcbd9' }}>{t('kanban.none')}</p>
        ) : (
          <BoardTable
            testId="kanban-orders"
            head={[t('kanban.col.order'), t('kanban.col.product'), t('kanban.col.planned'), t('kanban.col.good'), t('kanban.col.scrap'), t('kanban.col.progress'), t('kanban.col.operation'), t('kanban.col.status'), t('kanban.col.finish')]}
            align={['left', 'left', 'right', 'right', 'right', 'right', 'left', 'left', 'right']}
            rowIds={shownOrders.map((o) => o.docNo)}
            alerts={shownOrders.map((o) => o.late)}
            rows={shownOrders.map((o) => {
              const r = orderRow(o);
              return [
                <strong key="no">{o.docNo}</strong>,
                o.materialCode,
                `${o.quantity} ${o.baseUnit}`,
                <span key="good" data-testid="kanban-good" style={{ color: '#95de64' }}>{r.good}</span>,
                <span key="scrap" data-testid="kanban-scrap" style={{ color: num(r.scrap) > 0 ? '#ffa39e' : '#fff' }}>{r.scrap}</span>,
                <ProgressBar key="bar" percent={r.percent} label={t('kanban.progressOf', { order: o.docNo })} />,
                r.onFloor.length ? r.onFloor.map((op) => `${op.seq} ${op.name}${op.status === 'paused' ? ` (${t('kanban.ops.paused')})` : ''}`).join(', ') : '—',
                <span key="status" data-testid="kanban-status">
                  {t(`common:status.${o.status}`)}
                  {o.late && <strong style={{ color: '#ffccc7', marginInlineStart: 12 }}>⚠ {t('kanban.late', { count: o.daysLate })}</strong>}
                </span>,
                o.plannedFinish,
              ];
            })}
          />
        )}
      </BoardPanel>
      <BoardPanel title={t('kanban.active')} span={14}>
        {data && data.active.length === 0 ? (
          <p style={{ fontSize: 26, color: '#bfcbd9' }}>{t('kanban.noneActive')}</p>
        ) : (
          <BoardTable
            testId="kanban-active"
            head={[t('kanban.col.order'), t('kanban.col.operation'), t('kanban.col.station'), t('kanban.col.operator'), t('kanban.col.state'), t('kanban.col.since')]}
            align={['left', 'left', 'left', 'left', 'left', 'right']}
            rows={(data?.active ?? []).slice(0, ACTIVE_ROWS).map((a) => [
              a.docNo,
              `${a.seq} ${a.name}`,
              a.stationCode ?? a.workCentreCode,
              a.operator ?? '—',
              a.status === 'paused' ? <span key="s" style={{ color: '#ffc53d' }}>❚❚ {t('kanban.ops.paused')}</span> : <span key="s" style={{ color: '#95de64' }}>▶ {t('kanban.ops.inProgress')}</span>,
              a.since ? new Date(a.since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) : '—',
            ])}
          />
        )}
      </BoardPanel>
      <BoardPanel title={t('kanban.centres')} span={10}>
        <Chart option={chart} height={Math.max(220, 60 + centres.length * 44)} label={t('kanban.centres')} />
      </BoardPanel>
    </Board>
  );
}
