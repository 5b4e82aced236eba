import type { EquipmentStatus, EquipmentSummary } from '@mes/sdk';
import { Col } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Board, BoardPanel } from '../../../components/Board';
import { useLive } from '../../../components/useLive';
import { STATES, since, stateOf } from './states';

interface Tile {
  machine: EquipmentSummary;
  status: EquipmentStatus | null;
}

/** Status of up to this many machines at a time (the wall asks for each machine's status). */
const PARALLEL = 8;

async function statuses(machines: EquipmentSummary[], get: (id: string) => Promise<EquipmentStatus>): Promise<Tile[]> {
  const out: Tile[] = [];
  for (let i = 0; i < machines.length; i += PARALLEL) {
    const part = machines.slice(i, i + PARALLEL);
    const got = await Promise.all(part.map((m) => get(m.id).catch(() => null)));
    out.push(...part.map((machine, j) => ({ machine, status: got[j] })));
  }
  return out;
}

/**
 * The equipment status wall on a TV: one big tile per active machine, its state as colour, symbol
 * and word, how long it has been so, active alarms and readings out of standard. Refreshes when
 * the server streams a state change or an alarm, and every 15 s for the readings.
 */
export default function EquipmentWall() {
  const { t } = useTranslation('equipment');
  const { client } = useSession();
  const [tiles, setTiles] = useState<Tile[]>([]);
  const refresh = useCallback(() => {
    void (async () => {
      const machines: EquipmentSummary[] = [];
      for await (const m of client.equipment.iterate({ status: 'active', limit: 500 })) machines.push(m);
      setTiles(await statuses(machines, (id) => client.equipment.status(id)));
    })().catch(() => undefined);
  }, [client]);
  const live = useLive(['equipment.*', 'equipment_alarm.*'], refresh, 15_000);
  const counts = new Map<string, number>();
  for (const tile of tiles) counts.set(stateOf(tile.status?.state), (counts.get(stateOf(tile.status?.state)) ?? 0) + 1);

  return (
    <Board title={t('wall.title')} live={live}>
      <BoardPanel title={`${t('wall.total')} ${tiles.length}`} span={24}>
        <div style={{ display: 'flex', gap: 32, fontSize: 30, flexWrap: 'wrap' }} data-testid="wall-counts">
          {Object.keys(STATES).map((s) => (
            <span key={s}>
              <span aria-hidden style={{ color: STATES[s].color === '#434343' ? '#bfbfbf' : '#fff', background: STATES[s].color, padding: '0 10px', borderRadius: 6, marginInlineEnd: 8 }}>{STATES[s].symbol}</span>
              {t(`state.${s}`)} {counts.get(s) ?? 0}
            </span>
          ))}
        </div>
      </BoardPanel>
      {tiles.length === 0 && <BoardPanel title={t('wall.none')} span={24}>{null}</BoardPanel>}
      {tiles.map(({ machine, status }) => {
        const s = stateOf(status?.state);
        return (
          <Col key={machine.id} xs={24} md={12} xl={6}>
            <section
              data-testid={`tile-${machine.code}`}
              data-state={s}
              aria-label={`${machine.code} ${t(`state.${s}`)}`}
              style={{ background: STATES[s].color, color: '#fff', borderRadius: 10, padding: '16px 20px', minHeight: 200, border: s === 'down' ? '6px solid #fff' : '6px solid transparent' }}
            >
              <div style={{ fontSize: 34, fontWeight: 700 }}>{machine.code}</div>
              <div style={{ fontSize: 22, opacity: 0.95, whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }}>{machine.name}</div>
              <div style={{ fontSize: 44, fontWeight: 700, margin: '8px 0' }} data-testid="tile-state">
                <span aria-hidden>{STATES[s].symbol}</span> {t(`state.${s}`)}
              </div>
              <div style={{ fontSize: 22 }}>
                {status?.stateSince && <span style={{ marginInlineEnd: 16 }}>{t('wall.since', { d: since(status.stateSince) })}</span>}
                {(status?.activeAlarms ?? 0) > 0 && <strong style={{ marginInlineEnd: 16 }}>⚠ {t('wall.alarms', { n: status!.activeAlarms })}</strong>}
                {(status?.outOfStandard ?? 0) > 0 && <strong>{t('wall.deviations', { n: status!.outOfStandard })}</strong>}
              </div>
            </section>
          </Col>
        );
      })}
    </Board>
  );
}
