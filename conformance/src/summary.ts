/** Readable renderings of results.json: Markdown, HTML, JUnit XML, and the terminal report. */
import type { CheckResult, ClauseResult } from './types.js';

export interface RunResults {
  runId: string;
  seed: number;
  profile: string;
  certified: boolean;
  verdict: 'passed' | 'failed' | 'incomplete';
  target: { url: string; version?: string; api?: string };
  /** The platform driver the run acted on (--platform): kind, release and replicas before and after. */
  platform?: Record<string, unknown>;
  tool: { name: string; version: string; node: string };
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  clauses: ClauseResult[];
  checks: CheckResult[];
  counts: Record<string, number>;
  executionOrder: string[];
  suites: Record<string, unknown>;
  cleanup: unknown;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function markdown(r: RunResults): string {
  const lines = [
    `# mes conformance run ${r.runId}`,
    '',
    `Verdict: **${r.verdict.toUpperCase()}**${r.certified ? ' (certified run: any skipped or unknown clause fails it)' : ''}`,
    '',
    `| | |`,
    `| --- | --- |`,
    `| target | ${r.target.url} (${r.target.api ?? '?'} ${r.target.version ?? '?'}) |`,
    `| profile | ${r.profile} |`,
    `| seed | ${r.seed} (replay: \`--seed ${r.seed}\`) |`,
    `| tool | ${r.tool.name} ${r.tool.version}, Node ${r.tool.node} |`,
    `| started | ${r.startedAt} |`,
    `| duration | ${(r.durationMs / 1000).toFixed(1)} s |`,
    `| checks | ${Object.entries(r.counts).map(([k, v]) => `${v} ${k}`).join(', ')} |`,
    '',
    '## Clauses',
    '',
    '| clause | status | checks | requirement |',
    '| --- | --- | --- | --- |',
    ...r.clauses.map((c) => `| ${c.id} | ${c.status} | ${c.checks.length}${c.reason ? ` (${c.reason})` : ''} | ${c.text} |`),
    '',
    '## Checks not passed',
    '',
  ];
  const bad = r.checks.filter((c) => c.status !== 'passed');
  if (!bad.length) lines.push('None.');
  for (const c of bad) lines.push(`- **${c.status}** \`${c.id}\`: ${c.message ?? ''}`);
  lines.push('', `All ${r.checks.length} checks with their data are in results.json; raw results in raw/.`, '');
  return lines.join('\n');
}

export function html(r: RunResults): string {
  const row = (cells: string[]) => `<tr>${cells.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>mes conformance ${esc(r.runId)}</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}.passed{color:#070}.failed{color:#b00}.unknown,.skipped{color:#a60}</style></head>
<body><h1>mes conformance run ${esc(r.runId)}</h1>
<p>Verdict: <strong class="${r.verdict === 'incomplete' ? 'unknown' : r.verdict}">${esc(r.verdict.toUpperCase())}</strong></p>
<table>${row(['target', `${r.target.url} (${r.target.version ?? '?'})`])}${row(['profile', r.profile])}${row(['seed', String(r.seed)])}${row(['tool', `${r.tool.name} ${r.tool.version}`])}${row(['started', r.startedAt])}${row(['duration', `${(r.durationMs / 1000).toFixed(1)} s`])}</table>
<h2>Clauses</h2><table><tr><th>clause</th><th>status</th><th>checks</th><th>requirement</th></tr>
${r.clauses.map((c) => `<tr><td>${esc(c.id)}</td><td class="${c.status}">${c.status}</td><td>${c.checks.length}${c.reason ? ` (${esc(c.reason)})` : ''}</td><td>${esc(c.text)}</td></tr>`).join('\n')}
</table><h2>Checks</h2><table><tr><th>check</th><th>status</th><th>clauses</th><th>message</th></tr>
${r.checks.map((c) => `<tr><td>${esc(c.id)}</td><td class="${c.status}">${c.status}</td><td>${esc(c.clauses.join(' '))}</td><td>${esc(c.message ?? '')}</td></tr>`).join('\n')}
</table></body></html>
`;
}

/** XML 1.0 cannot carry most control characters: a response body quoted in a message may hold them. */
const xml = (s: string) => esc(s.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD'));
const secs = (ms: number) => (ms / 1000).toFixed(3);
const property = (name: string, value: unknown) => `<property name="${xml(name)}" value="${xml(String(value))}"/>`;

/**
 * The whole run as JUnit XML, for CI systems: one <testsuite> per suite, one <testcase> per check
 * named `<clauses>: <check id>` with the clauses, status and assertion count as properties, and
 * its time. failed → <failure> (an assertion the target did not meet) or <error> (the check could
 * not go on); skipped and unknown (ran, reached no verdict) → <skipped> saying which.
 */
export function junit(r: RunResults): string {
  const bySuite = new Map<string, CheckResult[]>();
  for (const c of r.checks) bySuite.set(c.suite, [...(bySuite.get(c.suite) ?? []), c]);
  const count = (checks: CheckResult[]) => ({
    tests: checks.length,
    failures: checks.filter((c) => c.status === 'failed' && c.failure !== 'error').length,
    errors: checks.filter((c) => c.status === 'failed' && c.failure === 'error').length,
    skipped: checks.filter((c) => c.status === 'skipped' || c.status === 'unknown').length,
    time: secs(checks.reduce((n, c) => n + c.durationMs, 0)),
  });
  const attrs = (o: Record<string, unknown>) => Object.entries(o).map(([k, v]) => `${k}="${xml(String(v))}"`).join(' ');
  const all = count(r.checks);
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites ${attrs({ name: `mes conformance ${r.runId}`, ...all, time: secs(r.durationMs), timestamp: r.startedAt })}>`];
  for (const [suite, checks] of bySuite) {
    parts.push(`  <testsuite ${attrs({ name: suite, ...count(checks), timestamp: r.startedAt })}>`);
    parts.push(`    <properties>${[property('runId', r.runId), property('seed', r.seed), property('profile', r.profile), property('certified', r.certified), property('target', r.target.url), property('verdict', r.verdict)].join('')}</properties>`);
    for (const c of checks) {
      parts.push(`    <testcase ${attrs({ classname: `mes.conformance.${suite}`, name: `${c.clauses.join(' ')}: ${c.id}`, time: secs(c.durationMs), assertions: c.assertions })}>`);
      parts.push(`      <properties>${[property('check', c.id), property('title', c.title), ...c.clauses.map((id) => property('clause', id)), property('status', c.status)].join('')}</properties>`);
      const message = c.message ?? c.status;
      if (c.status === 'failed') parts.push(`      <${c.failure === 'error' ? 'error' : 'failure'} ${attrs({ message: message.split('\n')[0].slice(0, 500), type: c.failure === 'error' ? 'CheckError' : 'CheckFailure' })}>${xml(message)}</${c.failure === 'error' ? 'error' : 'failure'}>`);
      if (c.status === 'skipped' || c.status === 'unknown') parts.push(`      <skipped ${attrs({ message: `${c.status === 'unknown' ? 'inconclusive' : 'skipped'}: ${message}`.slice(0, 500) })}/>`);
      parts.push('    </testcase>');
    }
    parts.push('  </testsuite>');
  }
  parts.push('</testsuites>', '');
  return parts.join('\n');
}

/** The terminal report of `mes conformance run` and `mes conformance report`. */
export function terminalReport(r: RunResults): string {
  const w = Math.max(...r.clauses.map((c) => c.id.length), 6);
  const lines = [
    `run ${r.runId}  profile ${r.profile}  seed ${r.seed}  target ${r.target.url} (${r.target.version ?? '?'})`,
    '',
    ...r.clauses.map((c) => `${c.id.padEnd(w)}  ${c.status.padEnd(7)}  ${String(c.checks.length).padStart(3)} checks${c.reason ? `  ${c.reason}` : ''}`),
    '',
    ...r.checks.filter((c) => c.status === 'failed').slice(0, 20).map((c) => `FAILED  ${c.id}: ${c.message ?? ''}`),
    `checks: ${Object.entries(r.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`,
    `verdict: ${r.verdict.toUpperCase()}${r.certified ? ' (certified)' : ''}`,
  ];
  return lines.join('\n');
}
