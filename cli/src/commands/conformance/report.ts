import { readBundleResults, terminalReport } from '@mes/conformance';
import { Args } from '@oclif/core';
import { CommandFailure, MesCommand } from '../../base-command.js';

export default class ConformanceReport extends MesCommand<typeof ConformanceReport> {
  static override summary = 'Print the verdicts recorded in an evidence bundle.';

  static override description = 'Reads results.json from the bundle and prints every clause with its status and the checks that failed. It does not verify the bundle: run `mes conformance verify` for that. With --json, prints results.json.';

  static override examples = ['<%= config.bin %> <%= command.id %> 20260101T120000Z_mes_0a1b2c3d4e5f.tar.gz'];

  static override args = { bundle: Args.string({ description: 'Path of the .tar.gz bundle', required: true }) };

  public async run() {
    let results;
    try {
      results = await readBundleResults(this.args.bundle);
    } catch (err) {
      throw new CommandFailure((err as Error).message, { code: 'BUNDLE_UNREADABLE' });
    }
    this.log(terminalReport(results));
    return results;
  }
}
