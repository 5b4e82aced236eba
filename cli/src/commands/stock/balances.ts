import { Flags } from '@oclif/core';
import type { Balance } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';
import { materialByCode, warehouseByCode } from '../../lookup.js';

export default class StockBalances extends MesApiCommand<typeof StockBalances> {
  static override summary = 'Stock on hand per material, warehouse, bin, batch and serial.';

  static override description = `Quantities are in each material's base unit, exact as the ledger has them. Follows every page. With --json, prints an array of balances: materialId, materialCode, warehouseId, warehouseCode, binId, binCode, batchNo, serialNo, quantity, baseUnit.

Needs the inventory:read permission.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'One material in one warehouse', command: '<%= config.bin %> <%= command.id %> --material RM-BRG-608ZZ --warehouse RM' },
    { description: 'Total of a material', command: "<%= config.bin %> <%= command.id %> --material FS-SCR-M4x10 --json | jq '[.[].quantity | tonumber] | add'" },
  ];

  static override flags = {
    material: Flags.string({ summary: 'Only this material (code).' }),
    warehouse: Flags.string({ summary: 'Only this warehouse (code).' }),
    batch: Flags.string({ summary: 'Only this batch number.' }),
    category: Flags.string({ summary: 'Only materials of this category.' }),
    zero: Flags.boolean({ summary: 'Include balances that are zero.' }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 1000, default: 1000, hidden: true }),
  };

  public async run() {
    const [material, warehouse] = await Promise.all([
      this.flags.material ? materialByCode(this.client, this.flags.material) : undefined,
      this.flags.warehouse ? warehouseByCode(this.client, this.flags.warehouse) : undefined,
    ]);
    const balances: Balance[] = [];
    for await (const b of this.client.stock.iterateBalances({
      limit: this.flags['page-size'],
      materialId: material?.id,
      warehouseId: warehouse?.id,
      batchNo: this.flags.batch,
      category: this.flags.category,
      includeZero: this.flags.zero || undefined,
    })) balances.push(b);
    if (balances.length === 0) this.log('No stock.');
    else {
      this.log(
        table(balances, [
          { header: 'material', get: (b) => b.materialCode },
          { header: 'warehouse', get: (b) => b.warehouseCode },
          { header: 'bin', get: (b) => b.binCode ?? '' },
          { header: 'batch', get: (b) => b.batchNo ?? '' },
          { header: 'serial', get: (b) => b.serialNo ?? '' },
          { header: 'quantity', get: (b) => b.quantity },
          { header: 'unit', get: (b) => b.baseUnit },
        ]),
      );
    }
    return balances;
  }
}
