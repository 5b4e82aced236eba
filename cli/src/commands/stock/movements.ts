import { Flags } from '@oclif/core';
import type { Movement } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { shortDate, table } from '../../format.js';
import { materialByCode, warehouseByCode } from '../../lookup.js';

export default class StockMovements extends MesApiCommand<typeof StockMovements> {
  static override summary = 'The stock ledger: every movement, in posting order.';

  static override description = `Quantities are signed and in the material's base unit; "entered" is what the document said (quantity and unit). Follows every page. With --json, prints an array of movements: id, type, materialId, materialCode, warehouseId, binId, batchNo, serialNo, quantity, enteredQuantity, enteredUnit, sourceType, sourceId, sourceLine, occurredAt, postedBy.

Needs the inventory:read permission.`;

  static override examples = [
    { description: 'The history of one material', command: '<%= config.bin %> <%= command.id %> --material RM-BRG-608ZZ' },
    { description: 'Where a serial number has been', command: '<%= config.bin %> <%= command.id %> --serial SN26000042' },
  ];

  static override flags = {
    material: Flags.string({ summary: 'Only this material (code).' }),
    serial: Flags.string({ summary: 'Only this serial number.' }),
    batch: Flags.string({ summary: 'Only this batch number.' }),
    warehouse: Flags.string({ summary: 'Only this warehouse (code).' }),
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 1000, default: 1000, hidden: true }),
  };

  public async run() {
    const [material, warehouse] = await Promise.all([
      this.flags.material ? materialByCode(this.client, this.flags.material) : undefined,
      this.flags.warehouse ? warehouseByCode(this.client, this.flags.warehouse) : undefined,
    ]);
    const warehouses = new Map((await this.client.warehouses.list()).items.map((w) => [w.id, w.code]));
    const movements: Movement[] = [];
    for await (const m of this.client.stock.iterateMovements({
      limit: this.flags['page-size'],
      materialId: material?.id,
      warehouseId: warehouse?.id,
      serialNo: this.flags.serial,
      batchNo: this.flags.batch,
    })) movements.push(m);
    if (movements.length === 0) this.log('No movements.');
    else {
      this.log(
        table(movements, [
          { header: 'id', get: (m) => m.id },
          { header: 'when', get: (m) => shortDate(m.occurredAt) },
          { header: 'type', get: (m) => m.type },
          { header: 'material', get: (m) => m.materialCode },
          { header: 'warehouse', get: (m) => warehouses.get(m.warehouseId) ?? m.warehouseId },
          { header: 'batch', get: (m) => m.batchNo ?? '' },
          { header: 'serial', get: (m) => m.serialNo ?? '' },
          { header: 'quantity', get: (m) => m.quantity },
          { header: 'entered', get: (m) => `${m.enteredQuantity} ${m.enteredUnit}` },
        ]),
      );
    }
    return movements;
  }
}
