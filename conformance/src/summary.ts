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

export function junit(r: RunResults): string {
  const bySuite = new Map<string, CheckResult[]>();
  for (const c of r.checks) bySuite.set(c.suite, [...(bySuite.get(c.suite) ?? []), c]);
  const parts = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="mes conformance ${esc(r.runId)}" tests="${r.checks.length}">`];
  for (const [suite, checks] of bySuite) {
    const failures = checks.filter((c) => c.status === 'failed').length;
    const skipped = checks.filter((c) => c.status === 'skipped' || c.status === 'unknown').length;
    parts.push(`  <testsuite name="${esc(suite)}" tests="${checks.length}" failures="${failures}" skipped="${skipped}">`);
    for (const c of checks) {
      parts.push(`    <testcase classname="${esc(suite)}" name="${esc(`${c.clauses.join(' ')}: ${c.id}`)}" time="${(c.durationMs / 1000).toFixed(3)}">`);
      if (c.status === 'failed') parts.push(`      <failure message="${esc(c.message ?? 'failed')}"/>`);
      if (c.status === 'skipped' || c.status === 'unknown') parts.push(`      <skipped message="${esc(`${c.status}: ${c.message ?? ''}`)}"/>`);
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
