import { Args, Flags } from '@oclif/core';
import type { Trace } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { traceTree } from '../../trace-tree.js';

export default class TraceSerial extends MesApiCommand<typeof TraceSerial> {
  static override summary = 'Trace a serial number backward (what it was made of) or forward (what it went into, up to customers).';

  static override description = `As \`mes trace batch\`, for one serial-numbered piece. With --json, prints the graph (nodes and edges).

Needs quality:read.`;

  static override examples = ['<%= config.bin %> <%= command.id %> M-100', '<%= config.bin %> <%= command.id %> M-100 --forward --json'];

  static override args = { serialNo: Args.string({ description: 'The serial number', required: true }) };

  static override flags = {
    backward: Flags.boolean({ summary: 'What it was made of (the default).', exclusive: ['forward'] }),
    forward: Flags.boolean({ summary: 'What it went into and who received it.', exclusive: ['backward'] }),
    material: Flags.string({ summary: 'The material (code), when the serial number is used by more than one.' }),
    depth: Flags.integer({ summary: 'Production steps to walk, 1 to 20.', default: 10 }),
  };

  public async run(): Promise<Trace> {
    const direction = this.flags.forward ? 'forward' : 'backward';
    const g = await this.client.trace.serial(this.args.serialNo, { direction, depth: this.flags.depth, materialCode: this.flags.material });
    this.log(traceTree(g));
    return g;
  }
}
