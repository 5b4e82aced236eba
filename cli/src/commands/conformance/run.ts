import { readFileSync } from 'node:fs';
import { DEFAULT_SIGNING_KEY, profiles, runConformance, terminalReport, UsageError, type LatencyConfig } from '@mes/conformance';
import { Flags } from '@oclif/core';
import { CommandFailure, EXIT, MesCommand } from '../../base-command.js';

export default class ConformanceRun extends MesCommand<typeof ConformanceRun> {
  static override summary = 'Run a conformance profile against an MES and write a signed evidence bundle.';

  static override description = `Tests any MES that serves the mes OpenAPI, only through its HTTP API. With a platform admin key the runner creates its own tenants, keys and data, runs the profile's suites (checks in an order fixed by --seed), then revokes every key it issued and suspends every tenant it created (the API cannot delete them; the report says what is left).

Each check and each clause ends passed, failed, skipped or unknown; a clause whose checks ran nothing is unknown, never passed. Exit 1 when any clause or check failed, or with --certified when any clause is not passed; exit 2 for usage errors (an unknown profile, --platform: no platform driver exists yet).

The bundle <time>_mes_<runid>.tar.gz (in --out) holds the resolved config, seed, versions, raw results (JUnit XML, newman JSON), results.json, summary.md/.html, the Postman collection, logs, and manifest.json of SHA-256 digests signed with Ed25519. See docs/conformance.md.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --target http://127.0.0.1:8080 --api-key mes_…',
    { description: 'CI: certified core run, replayable, bundle into ./evidence', command: '<%= config.bin %> <%= command.id %> --target $MES_URL --profile core --certified --seed 42 --out evidence' },
  ];

  static override flags = {
    target: Flags.string({ summary: 'Base URL of the MES under test.', env: 'MES_URL', required: true }),
    'api-key': Flags.string({ summary: 'A platform admin API key of the target (mes_…).', env: 'MES_API_KEY', required: true }),
    profile: Flags.string({ summary: 'Which clauses to prove.', options: ['core', 'platform', 'full'], default: 'core' }),
    platform: Flags.string({ summary: 'Platform driver for the resilience suites (not available yet).', options: ['local', 'kubernetes'] }),
    certified: Flags.boolean({ summary: 'Fail unless every clause of the profile passed (no skipped or unknown).', default: false }),
    seed: Flags.integer({ summary: 'Seed of every random choice; the same seed replays the same run. Default: random, recorded.', min: 0 }),
    out: Flags.string({ summary: 'Directory for the evidence bundle.', default: '.' }),
    'signing-key': Flags.string({ summary: 'Ed25519 private key (PKCS#8 PEM) to sign the manifest; generated there when the file does not exist.', env: 'MES_CONFORMANCE_SIGNING_KEY', default: DEFAULT_SIGNING_KEY }),
    config: Flags.string({ summary: 'JSON file with measurement settings, e.g. {"latency": {"maxP95Ratio": 1.2, "samplesPerWindow": 100}}.' }),
  };

  public async run() {
    let latency: Partial<LatencyConfig> | undefined;
    if (this.flags.config) {
      try {
        latency = (JSON.parse(readFileSync(this.flags.config, 'utf8')) as { latency?: Partial<LatencyConfig> }).latency;
      } catch (err) {
        throw new CommandFailure(`--config ${this.flags.config}: ${(err as Error).message}`, { code: 'USAGE', exit: EXIT.usage });
      }
    }
    if (!profiles().some((p) => p.name === this.flags.profile)) throw new CommandFailure(`no profile ${this.flags.profile}`, { code: 'USAGE', exit: EXIT.usage });
    let outcome;
    try {
      outcome = await runConformance({
        target: this.flags.target,
        apiKey: this.flags['api-key'],
        profile: this.flags.profile,
        platform: this.flags.platform,
        certified: this.flags.certified,
        seed: this.flags.seed,
        outDir: this.flags.out,
        signingKey: this.flags['signing-key'],
        latency,
        onProgress: (m) => process.stderr.write(`${m}\n`),
      });
    } catch (err) {
      if (err instanceof UsageError) throw new CommandFailure(err.message, { code: 'NO_PLATFORM_DRIVER', exit: EXIT.usage });
      throw new CommandFailure((err as Error).message, { code: 'RUN_FAILED' });
    }
    const summary = { bundle: outcome.bundle, verdict: outcome.results.verdict, runId: outcome.results.runId, seed: outcome.results.seed, profile: outcome.results.profile, certified: outcome.results.certified, counts: outcome.results.counts, clauses: outcome.results.clauses.map((c) => ({ id: c.id, status: c.status, ...(c.reason ? { reason: c.reason } : {}) })), signingKey: outcome.signingKey };
    if (outcome.exitCode !== 0) {
      if (!this.jsonEnabled()) process.stderr.write(`${terminalReport(outcome.results)}\nevidence: ${outcome.bundle}\n`);
      throw new CommandFailure(`conformance ${outcome.results.verdict}${outcome.results.certified && outcome.results.verdict !== 'failed' ? ' (a certified run needs every clause passed)' : ''}: evidence in ${outcome.bundle}`, { code: outcome.results.verdict === 'failed' ? 'CONFORMANCE_FAILED' : 'CONFORMANCE_INCOMPLETE', details: summary });
    }
    this.log(terminalReport(outcome.results));
    this.log(`evidence: ${outcome.bundle}`);
    return summary;
  }
}
