import { Args, Flags } from '@oclif/core';
import type { Kitting } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';
import { productionOrderId } from '../../lookup.js';

export default class ProductionKitting extends MesApiCommand<typeof ProductionKitting> {
  static override summary = 'Kitting (齐套) of released production orders: what is short, and when it can be kitted.';

  static override description = `For each order, in the sequence given (earlier orders take free stock first), every component that counts for kitting: what is still to be issued, what is allocated to it, the free stock it can take (ledger balances less allocations), the shortage and the date open supply covers it. Then the kit rate per order and the shortage list, with what substitutes (BOM line alternates) cover. With --allocate the free stock is set aside for the orders (never more than the balance, even when others allocate at the same time). With --json, prints the kitting as the API returns it.

Needs production:read, and production:write with --allocate.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> MO20260302-0001 MO20260302-0002',
    { description: 'Set the stock aside for the first order', command: '<%= config.bin %> <%= command.id %> MO20260302-0001 --allocate' },
  ];

  static override strict = false;

  static override args = {
    order: Args.string({ description: 'Document numbers (MO…) or ids of released orders, in priority order.', required: true }),
  };

  static override flags = {
    allocate: Flags.boolean({ summary: 'Allocate free stock to the orders.', default: false }),
  };

  public async run(): Promise<Kitting> {
    if (!this.argList.length) throw new CommandFailure('name at least one production order', { code: 'USAGE', exit: 2 });
    const ids = [];
    for (const ref of this.argList) ids.push(await productionOrderId(this.client, ref));
    const kit = this.flags.allocate ? await this.client.production.kitting.allocate(ids) : await this.client.production.kitting.get(ids);
    for (const o of kit.orders) {
      this.log(`${o.docNo}  ${o.status}  kit rate ${o.kitRate} %  ${o.kitted ? 'kitted' : `earliest kit date ${o.earliestKitDate ?? 'none (no open supply covers it)'}`}`);
      this.log(
        table(o.components, [
          { header: 'line', get: (c) => String(c.lineNo) },
          { header: 'material', get: (c) => c.materialCode },
          { header: 'required', get: (c) => `${c.required} ${c.baseUnit}` },
          { header: 'allocated', get: (c) => c.allocated },
          { header: 'available', get: (c) => c.available },
          { header: 'shortage', get: (c) => c.shortage },
          { header: 'date', get: (c) => c.earliestDate ?? '' },
          { header: 'substitutes', get: (c) => c.substitutes.map((x) => `${x.materialCode} ${x.quantity} ${x.baseUnit} for ${x.covers}`).join(', ') },
        ]),
      );
      this.log('');
    }
    // Materials whose own stock falls short; substitutes may cover them (shortage 0).
    const subs = (s: (typeof kit.shortages)[number]) => (s.substitutes.length ? `, substitutes: ${s.substitutes.map((x) => `${x.materialCode} ${x.quantity} ${x.baseUnit} for ${x.covers}`).join(', ')}` : '');
    const short = kit.shortages.filter((s) => s.shortage !== '0');
    this.log(short.length ? `short: ${short.map((s) => `${s.materialCode} ${s.shortage} ${s.baseUnit} (${s.orders.join(', ')})${subs(s)}`).join('; ')}` : 'nothing is short');
    const covered = kit.shortages.filter((s) => s.shortage === '0');
    if (covered.length) this.log(`covered by substitutes: ${covered.map((s) => `${s.materialCode} ${s.shortfall} ${s.baseUnit}${subs(s)}`).join('; ')}`);
    return kit;
  }
}
