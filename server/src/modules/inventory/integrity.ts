/**
 * The ledger's own consistency, as a backup records it and a restored copy is checked against:
 * how many movements and balances a tenant has and what they sum to, and which balances differ
 * from the sum of their movements (there must be none: balances are kept in the same transaction
 * as every movement).
 */
import type { Sql } from '../../platform/db.js';

export interface LedgerTotals {
  movements: number;
  /** Sum of every signed movement quantity, as a decimal string. */
  movementSum: string;
  balances: number;
  balanceSum: string;
}

export async function ledgerTotals(tx: Sql, tenantId: string): Promise<LedgerTotals> {
  const { rows } = await tx.query<{ movements: string; movement_sum: string; balances: string; balance_sum: string }>(
    `SELECT m.n AS movements, m.s AS movement_sum, b.n AS balances, b.s AS balance_sum
       FROM (SELECT count(*) AS n, coalesce(sum(quantity), 0)::text AS s FROM stock_movements WHERE tenant_id = $1) m,
            (SELECT count(*) AS n, coalesce(sum(quantity), 0)::text AS s FROM stock_balances WHERE tenant_id = $1) b`,
    [tenantId],
  );
  const r = rows[0];
  return { movements: Number(r.movements), movementSum: r.movement_sum, balances: Number(r.balances), balanceSum: r.balance_sum };
}

/** Balances (or movement sums without a balance) where the balance is not the sum of its movements. */
export async function balancesOffLedger(tx: Sql, tenantId: string): Promise<number> {
  const { rows } = await tx.query<{ n: string }>(
    `SELECT count(*) AS n FROM (
       SELECT sum(q) AS diff FROM (
         SELECT material_id, warehouse_id, bin_id, batch_id, serial_id, quantity AS q FROM stock_movements WHERE tenant_id = $1
         UNION ALL
         SELECT material_id, warehouse_id, bin_id, batch_id, serial_id, -quantity FROM stock_balances WHERE tenant_id = $1
       ) x GROUP BY material_id, warehouse_id, bin_id, batch_id, serial_id
     ) d WHERE diff <> 0`,
    [tenantId],
  );
  return Number(rows[0].n);
}
