import { Args, Flags } from '@oclif/core';
import type { ProductionOrder } from '@mes/sdk';
import { MesApiCommand } from '../../../base-command.js';
import { productionOrderId } from '../../../lookup.js';

export default class ProductionOrdersRelease extends MesApiCommand<typeof ProductionOrdersRelease> {
  static override summary = 'Release a planned production order to the shop floor.';

  static override description = `The order gets its own operations (from its routing revision) and component requirements (from its BOM revision, exploded through phantoms as of the planned start). Without --version the order's current version is used; pass the version you reviewed to be refused (VERSION_CONFLICT) if someone changed it since. A refusal lists every reason (ORDER_NOT_RELEASABLE, ORDER_NOT_APPROVED) and exits 1. With --json, prints the released order.

Needs the production:write permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> MO20260302-0001',
    { description: 'Only if it is still the version you reviewed', command: '<%= config.bin %> <%= command.id %> MO20260302-0001 --version 3' },
  ];

  static override args = {
    order: Args.string({ description: 'Document number (MO…) or id of the order.', required: true }),
  };

  static override flags = {
    version: Flags.integer({ summary: 'The version you reviewed; default the current one.', min: 1 }),
  };

  public async run(): Promise<ProductionOrder> {
    const id = await productionOrderId(this.client, this.args.order);
    const version = this.flags.version ?? (await this.client.production.orders.get(id)).version;
    const o = await this.client.production.orders.release(id, version);
    this.log(`${o.docNo} released (version ${o.version}): ${o.operations.length} operations, ${o.components.length} components`);
    return o;
  }
}
