import type { Balance, Movement, SafetyStockRow } from '@mes/sdk';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { Board, BoardPanel, BoardTable } from '../../../components/Board';
import { useLive } from '../../../components/useLive';

/** Stock status on a TV: stock by material, shortages, the latest movements; live from stock.* events. */
export default function StockBoard() {
  const { t } = useTranslation('stock');
  const { client } = useSession();
  const [balances, setBalances] = useState<Balance[]>([]);
  const [shortages, setShortages] = useState<SafetyStockRow[]>([]);
  const [recent, setRecent] = useState<Movement[]>([]);
  const refresh = useCallback(() => {
    void client.stock.balances({ limit: 500 }).then((p) => setBalances(p.items));
    void client.reports.shortages({ limit: 20 }).then((p) => setShortages(p.items));
    // The ledger is in posting order: today's movements, the newest first (a few pages at most).
    void (async () => {
      let cursor: string | undefined;
      let last: Movement[] = [];
      const from = new Date(Date.now() - 24 * 3600_000).toISOString();
      for (let i = 0; i < 4; i++) {
        const page = await client.stock.movements({ from, limit: 500, cursor } as never);
        last = [...last, ...page.items].slice(-12);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      }
      setRecent(last.reverse());
    })();
  }, [client]);
  const live = useLive(['stock.*'], refresh);
  const byMaterial = new Map<string, { code: string; unit: string; total: number; text: string }>();
  for (const b of balances) {
    const e = byMaterial.get(b.materialId) ?? { code: b.materialCode, unit: b.baseUnit, total: 0, text: '0' };
    e.total += Number(b.quantity); // display only: the exact figures are on the stock page
    e.text = String(Math.round(e.total * 1000) / 1000);
    byMaterial.set(b.materialId, e);
  }
  const rows = [...byMaterial.values()].sort((a, b) => b.total - a.total).slice(0, 14);
  return (
    <Board title={t('board.title')} live={live}>
      <BoardPanel title={t('board.stock')} span={10}>
        <BoardTable testId="board-stock" head={[t('balances.materialCode'), t('balances.quantity'), t('balances.unit')]} rows={rows.map((r) => [r.code, r.text, r.unit])} />
      </BoardPanel>
      <BoardPanel title={t('board.shortages')} span={6}>
        <BoardTable testId="board-shortages" head={[t('balances.materialCode'), t('reports.shortfall')]} rows={shortages.map((s) => [s.materialCode, s.shortfall])} warn />
      </BoardPanel>
      <BoardPanel title={t('board.recent')} span={8}>
        <BoardTable testId="board-recent" head={[t('balances.materialCode'), t('movements.type'), t('balances.quantity')]} rows={recent.map((m) => [m.materialCode, t(`movementType.${m.type}`, { defaultValue: m.type }), m.quantity])} />
      </BoardPanel>
    </Board>
  );
}
