import { Args, Flags } from '@oclif/core';
import type { Trace } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { traceTree } from '../../trace-tree.js';

export default class TraceBatch extends MesApiCommand<typeof TraceBatch> {
  static override summary = 'Trace a batch backward (what it was made of, down to suppliers) or forward (what it went into, up to customers).';

  static override description = `Backward shows the component batches, suppliers and purchase orders (with the incoming inspection), the production orders with BOM revision, operators, stations and equipment, and where each batch is in stock. Forward shows every batch and serial made from it and every customer it reached. With --json, prints the graph: direction, depth, root, truncated, nodes (id, type, materialCode, batchNo, serialNo, made, stock, ledger, partner fields) and edges (type consumed_into/supplied/delivered, from, to, quantity and the documents).

Needs quality:read. A batch number used by more than one material needs --material.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> P-1 --backward',
    { description: 'Every customer a supplier batch reached', command: "<%= config.bin %> <%= command.id %> B20260301-001 --material CASING --forward --json | jq '[.nodes[] | select(.type == \"customer\") | .partnerCode]'" },
  ];

  static override args = { batchNo: Args.string({ description: 'The batch number', required: true }) };

  static override flags = {
    backward: Flags.boolean({ summary: 'What it was made of (the default).', exclusive: ['forward'] }),
    forward: Flags.boolean({ summary: 'What it went into and who received it.', exclusive: ['backward'] }),
    material: Flags.string({ summary: 'The material (code), when the batch number is used by more than one.' }),
    depth: Flags.integer({ summary: 'Production steps to walk, 1 to 20.', default: 10 }),
  };

  public async run(): Promise<Trace> {
    const direction = this.flags.forward ? 'forward' : 'backward';
    const g = await this.client.trace.batch(this.args.batchNo, { direction, depth: this.flags.depth, materialCode: this.flags.material });
    this.log(traceTree(g));
    return g;
  }
}
