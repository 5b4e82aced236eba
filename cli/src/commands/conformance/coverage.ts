import { coverage, loadFlows, SUITES } from '@mes/conformance';
import { MesCommand } from '../../base-command.js';

export default class ConformanceCoverage extends MesCommand<typeof ConformanceCoverage> {
  static override summary = 'List the registry clauses that no check proves.';

  static override description = 'The clause registry holds every S1 chapter 6 clause, tenant isolation (5.3.2) and the business functions (5.4.x). This lists the ones no suite or flow proves yet, with their profiles, then how many are proved and by what. With --json: {proved: [{id, by}], unproved: [{id, text, profiles}]}.';

  public async run() {
    const c = coverage(SUITES, loadFlows().flatMap((f) => f.clauses));
    const w = Math.max(...c.unproved.map((u) => u.id.length), 6);
    this.log(`${c.unproved.length} clauses no check proves:`);
    for (const u of c.unproved) this.log(`  ${u.id.padEnd(w)}  ${(u.profiles.join(',') || '-').padEnd(14)}  ${u.text}`);
    this.log('');
    this.log(`${c.proved.length} proved: ${c.proved.map((p) => `${p.id} (${p.by.join(', ')})`).join(', ')}`);
    return { proved: c.proved, unproved: c.unproved.map((u) => ({ id: u.id, text: u.text, profiles: u.profiles })) };
  }
}
