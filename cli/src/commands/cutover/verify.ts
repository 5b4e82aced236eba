import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Flags } from '@oclif/core';
import type { CutoverSummary } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../base-command.js';
import { latestCutover, stepLine } from '../../cutover/open.js';

/** What `mes cutover verify --json` prints. */
export interface CutoverVerifyResult {
  summary: CutoverSummary;
  files: string[];
}

export default class CutoverVerify extends MesApiCommand<typeof CutoverVerify> {
  static override summary = 'Verify the tenant after go-live (S1-7.3-b) and write the go-live summary (S1-7.3-c) as Markdown and JSON.';

  static override description = `Asks the server for the cutover's summary: writes since go-live and how many failed (the audit chain), latency (the replica's request histogram), the ledger invariant (every balance the sum of its movements), the reconciliation the run recorded, the stock reports rendered, and the readiness checks. With --out, writes go-live-summary.md and go-live-summary.json there.

Exit 0 when everything holds; 1 otherwise.`;

  static override examples = ['<%= config.bin %> <%= command.id %> --out ./go-live'];

  static override flags = {
    cutover: Flags.string({ summary: 'The cutover id; default the tenant\'s newest.' }),
    out: Flags.string({ summary: 'Directory to write go-live-summary.md and go-live-summary.json into.' }),
  };

  public async run(): Promise<CutoverVerifyResult> {
    const cutover = await latestCutover(this.client, this.flags.cutover);
    const summary = await this.client.cutovers.summary(cutover.id);
    const markdown = toMarkdown(summary);
    const files: string[] = [];
    if (this.flags.out) {
      await mkdir(this.flags.out, { recursive: true });
      for (const [name, text] of [['go-live-summary.md', markdown], ['go-live-summary.json', `${JSON.stringify(summary, null, 2)}\n`]]) {
        const file = path.join(this.flags.out, name);
        await writeFile(file, text);
        files.push(file);
      }
    }
    this.log(markdown);
    if (!summary.ok) throw new CommandFailure(`the go-live verification of cutover ${summary.cutoverId} does not hold: see the summary`, { code: 'CUTOVER_NOT_VERIFIED', details: { summary, files } });
    return { summary, files };
  }
}

export function toMarkdown(s: CutoverSummary): string {
  const yes = (ok: boolean) => (ok ? 'yes' : '**no**');
  const rec = (s.reconciliation ?? {}) as { differences?: { check: string; key: string; expected: string; actual: string }[] };
  return [
    `# Go-live summary: cutover ${s.cutoverId}`,
    '',
    `Status ${s.status}; went live ${s.goLiveAt ?? 'not yet'}; generated ${s.generatedAt}. **Verified: ${s.ok ? 'yes' : 'no'}**`,
    '',
    '## Writes since go-live (audit chain)',
    '',
    '| total | failed (5xx) | refused (4xx) | denied | error rate |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${s.writes.total} | ${s.writes.failed} | ${s.writes.rejected} | ${s.writes.denied} | ${(s.writes.errorRate * 100).toFixed(2)} % |`,
    '',
    `## Latency (${s.latency.scope})`,
    '',
    `${s.latency.requests} requests, p50 ≤ ${s.latency.p50Ms ?? '–'} ms, p95 ≤ ${s.latency.p95Ms ?? '–'} ms, ${s.latency.serverErrors} server errors.`,
    '',
    '## Ledger',
    '',
    `${s.ledger.movements} movements summing to ${s.ledger.movementSum}; ${s.ledger.balances} balances summing to ${s.ledger.balanceSum}; balances off the ledger: ${s.ledger.balancesOffLedger}. Holds: ${yes(s.ledger.ok)}`,
    '',
    '## Reconciliation against the control totals',
    '',
    rec.differences?.length ? rec.differences.map((d) => `- ${d.check} ${d.key}: legacy ${d.expected}, imported ${d.actual}`).join('\n') : rec.differences ? 'No difference.' : 'Not recorded.',
    '',
    '## Reports',
    '',
    ...s.reports.map((r) => `- ${r.key}: ${r.ok ? 'renders' : '**fails**'} (${r.detail})`),
    '',
    '## Steps',
    '',
    ...s.steps.map((x) => `- ${stepLine(x)}${x.actor ? ` — ${x.actor}, ${x.startedAt}` : ''}`),
    '',
    '## Readiness checks (S1-7.2)',
    '',
    ...s.checks.map((x) => `- ${stepLine(x)}`),
    '',
  ].join('\n');
}
