import { Flags } from '@oclif/core';
import type { Cutover } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { stepLine } from '../../cutover/open.js';

export default class CutoverPlan extends MesApiCommand<typeof CutoverPlan> {
  static override summary = 'Plan the go-live cutover of the tenant: its ordered steps (S1-7.3-a) and the readiness checks (S1-7.2), each with its state.';

  static override description = `Creates the tenant's cutover record. Its steps run in this order with mes cutover run: freeze (writes refused with 423 TENANT_FROZEN except the cutover's own), backup (the backup point a rollback restores), clean (trial documents and movements; master data stays), import master data, initialise inventory, back-fill open documents, reconcile against the control totals, unfreeze.

The readiness checks (users and roles, coding rules, labels render, warehouses and bins, gateways) are warnings, not refusals. A tenant has one open cutover at a time.`;

  static override examples = ['<%= config.bin %> <%= command.id %> --note "go-live weekend 2026-12-05"'];

  static override flags = {
    note: Flags.string({ summary: 'A note kept with the cutover.' }),
  };

  public async run(): Promise<Cutover> {
    const cutover = await this.client.cutovers.plan(this.flags.note ? { note: this.flags.note } : {});
    this.log(`cutover ${cutover.id} planned`);
    this.log('steps:');
    for (const s of cutover.steps) this.log(`  ${stepLine(s)}`);
    this.log('readiness checks:');
    for (const c of cutover.checks) this.log(`  ${stepLine(c)}`);
    this.log('next: mes cutover run --files <dir> --control-totals <file>');
    return cutover;
  }
}
