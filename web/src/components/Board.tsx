import { Col, Row } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveState } from './useLive';

/**
 * A board's frame: title, clock, live state (green when the event stream is connected, amber
 * while it reconnects) and panels in a grid. Type sizes are for reading across a workshop.
 */
export function Board({ title, live, children }: { title: string; live: { state: LiveState; updatedAt: Date | null }; children: ReactNode }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(new Date());
  useEffect(() => {
    document.title = title;
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, [title]);
  const ok = live.state === 'live';
  return (
    <main data-testid="board" data-live={live.state}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'baseline', marginBottom: 16 }}>
        <h1 style={{ fontSize: 44, margin: 0, color: '#fff' }}>{title}</h1>
        <div style={{ fontSize: 24 }}>
          <span style={{ color: ok ? '#73d13d' : '#ffc53d', marginInlineEnd: 24 }} data-testid="live-state">
            ● {ok ? t('stream.live') : t('stream.reconnecting')}
          </span>
          {live.updatedAt && <span style={{ marginInlineEnd: 24, color: '#bfcbd9' }}>{t('stream.updated', { time: live.updatedAt.toLocaleTimeString() })}</span>}
          <span style={{ fontSize: 32, color: '#fff' }}>{now.toLocaleTimeString()}</span>
        </div>
      </header>
      <Row gutter={[16, 16]}>{children}</Row>
    </main>
  );
}

export function BoardPanel({ title, span, children }: { title: string; span: number; children: ReactNode }) {
  return (
    <Col xs={24} xl={span}>
      <section style={{ background: '#131c2e', borderRadius: 8, padding: 16, height: '100%' }}>
        <h2 style={{ fontSize: 28, marginTop: 0, color: '#fff' }}>{title}</h2>
        {children}
      </section>
    </Col>
  );
}

/**
 * A plain table in board type: large, high contrast, numbers right-aligned (the first column left,
 * or as `align` says). `rowIds` give each row `data-testid="<testId>-<id>"`; rows marked in `alerts`
 * stand out (a red band and a bar at the start; the row should also say why in words).
 */
export function BoardTable({ head, rows, warn, testId, align, rowIds, alerts }: {
  head: string[];
  rows: ReactNode[][];
  warn?: boolean;
  testId: string;
  align?: ('left' | 'right')[];
  rowIds?: string[];
  alerts?: boolean[];
}) {
  const side = (i: number) => align?.[i] ?? (i === 0 ? 'left' : 'right');
  return (
    <table style={{ width: '100%', fontSize: 26, borderCollapse: 'collapse' }} data-testid={testId}>
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i} style={{ textAlign: side(i), color: '#bfcbd9', fontWeight: 500, paddingBottom: 8, paddingInline: 6 }}>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr
            key={rowIds?.[i] ?? i}
            data-testid={rowIds ? `${testId}-${rowIds[i]}` : undefined}
            data-alert={alerts ? String(Boolean(alerts[i])) : undefined}
            style={{ borderTop: '1px solid #233049', background: alerts?.[i] ? '#4a1217' : undefined, boxShadow: alerts?.[i] ? 'inset 8px 0 0 #ff4d4f' : undefined }}
          >
            {r.map((c, j) => (
              <td key={j} style={{ textAlign: side(j), padding: j === 0 && alerts?.[i] ? '6px 6px 6px 16px' : '6px', color: warn && j > 0 ? '#ff7875' : '#fff' }}>
                {c}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
