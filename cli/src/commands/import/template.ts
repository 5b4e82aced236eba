import { writeFile } from 'node:fs/promises';
import { Args, Flags } from '@oclif/core';
import type { ImportKind } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { IMPORT_KINDS } from './index.js';

/** What `mes import template --json` prints. */
export interface ImportTemplateResult {
  kind: string;
  format: 'csv' | 'xlsx';
  file: string;
  bytes: number;
}

export default class ImportTemplate extends MesApiCommand<typeof ImportTemplate> {
  static override summary = 'Write an import template for a kind: headers, an example row, drop-down lists.';

  static override description = `The headers are in Chinese and English (a * marks a required column), the second row is an example to overwrite. XLSX templates carry drop-down lists for columns with fixed values (tracking, settlement, yes/no) and a 说明 sheet describing every column; CSV templates are UTF-8 with BOM, which Excel opens correctly.

Needs imports:read.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> materials',
    { description: 'A CSV template for opening stock', command: '<%= config.bin %> <%= command.id %> opening-stock --format csv --out opening.csv' },
  ];

  static override args = {
    kind: Args.string({ description: 'The kind', options: IMPORT_KINDS.filter((k) => k !== 'auto'), required: true }),
  };

  static override flags = {
    format: Flags.string({ summary: 'xlsx or csv.', options: ['xlsx', 'csv'], default: 'xlsx' }),
    out: Flags.string({ summary: 'Where to write it. Default <kind>-template.<format>.' }),
  };

  public async run(): Promise<ImportTemplateResult> {
    const format = this.flags.format as 'csv' | 'xlsx';
    const body = await this.client.imports.template(this.args.kind as ImportKind, { format });
    const file = this.flags.out ?? `${this.args.kind}-template.${format}`;
    await writeFile(file, body.bytes);
    this.log(`wrote ${file}`);
    return { kind: this.args.kind, format, file, bytes: body.bytes.length };
  }
}
