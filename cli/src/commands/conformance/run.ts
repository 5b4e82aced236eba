import { readFileSync } from 'node:fs';
import { DEFAULT_SIGNING_KEY, profiles, resolveResilience, runConformance, terminalReport, UsageError, type LatencyConfig, type ResilienceConfig, type ResilienceOverrides } from '@mes/conformance';
import { KubernetesPlatform, LocalPlatform, stopEverythingStarted, type Platform } from '@mes/platform';
import { Flags } from '@oclif/core';
import { CommandFailure, EXIT, MesCommand } from '../../base-command.js';
import { redactUrl } from '../../format.js';
import { expandHome } from '../../infra-command.js';

const usage = (message: string) => new CommandFailure(message, { code: 'USAGE', exit: EXIT.usage });

export default class ConformanceRun extends MesCommand<typeof ConformanceRun> {
  static override summary = 'Run a conformance profile against an MES and write a signed evidence bundle.';

  static override description = `Tests any MES that serves the mes OpenAPI, only through its HTTP API. With a platform admin key the runner creates its own tenants, keys and data, runs the profile's suites (checks in an order fixed by --seed), then revokes every key it issued and suspends every tenant it created (the API cannot delete them; the report says what is left).

The platform profile's resilience suites (failover, upgrade and rollback, scaling, fault diagnosis) act on the platform the MES runs on: --platform local starts N server processes behind a local balancer on the PostgreSQL database given with --database, runs against its front, and stops everything afterwards (also on failure or Ctrl+C); --platform kubernetes drives an existing Deployment (--kubeconfig, --context, --namespace, --deployment) reached at --target. --resilience short (CI, minutes) or full (long windows). Without --platform those suites are unavailable and their clauses unknown.

Each check and each clause ends passed, failed, skipped or unknown; a clause whose checks ran nothing is unknown, never passed. Exit 1 when any clause or check failed, or with --certified when any clause is not passed; exit 2 for usage errors.

The bundle <time>_mes_<runid>.tar.gz (in --out) holds the resolved config, seed, versions, raw results (JUnit XML of the whole run, also written to --junit FILE; newman JSON, per-request load samples), results.json, summary.md/.html, the Postman collection, logs, the platform's state before and after, and manifest.json of SHA-256 digests signed with Ed25519. See docs/conformance.md.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --target http://127.0.0.1:8080 --api-key mes_…',
    { description: 'CI: certified core run, replayable, bundle into ./evidence, JUnit XML for the CI system', command: '<%= config.bin %> <%= command.id %> --target $MES_URL --profile core --certified --seed 42 --out evidence --junit evidence/conformance-junit.xml' },
    { description: 'Resilience suites on a local platform of 2 replicas over PostgreSQL (short windows)', command: '<%= config.bin %> <%= command.id %> --profile platform --platform local --database postgres://postgres@127.0.0.1:5432/mes_conf --replicas 2 --resilience short' },
    { description: 'The failover drill alone against a Deployment (see runbooks/failover-drill.md)', command: '<%= config.bin %> <%= command.id %> --profile platform --suites failover --platform kubernetes --namespace mes --deployment mes --target https://mes.example.com --api-key $MES_API_KEY' },
    { description: 'Resilience suites against a Deployment on a cluster', command: '<%= config.bin %> <%= command.id %> --profile platform --platform kubernetes --context prod --namespace mes --deployment mes --target https://mes.example.com --api-key $MES_API_KEY --resilience full --config resilience.json' },
  ];

  static override flags = {
    target: Flags.string({ summary: 'Base URL of the MES under test (with --platform local: the local front, not needed).', env: 'MES_URL' }),
    'api-key': Flags.string({ summary: 'A platform admin API key of the target (mes_…); with --platform local on an empty database the bootstrap key is used.', env: 'MES_API_KEY' }),
    profile: Flags.string({ summary: 'Which clauses to prove. Default: core, or the profile that holds the suites --suites names (--suites ui: ui).', options: ['core', 'ui', 'production', 'equipment', 'platform', 'full'] }),
    platform: Flags.string({ summary: 'Platform driver for the resilience suites.', options: ['local', 'kubernetes'] }),
    database: Flags.string({ summary: '--platform local: the PostgreSQL database the replicas share (postgres://…).' }),
    replicas: Flags.integer({ summary: '--platform local: replicas to start (default: the resilience profile\'s, 2 for short); kubernetes: N the suites expect (default: the ready pods).', min: 1 }),
    kubeconfig: Flags.string({ summary: '--platform kubernetes: kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster).' }),
    context: Flags.string({ summary: '--platform kubernetes: kubeconfig context.' }),
    namespace: Flags.string({ summary: '--platform kubernetes: namespace of the Deployment.' }),
    deployment: Flags.string({ summary: '--platform kubernetes: the Deployment that runs the MES (its HPA has the same name).' }),
    stack: Flags.string({ summary: '--platform kubernetes: take kubeconfig, context, namespace, deployment and target from this `mes infra` stack\'s outputs (flags given here win).' }),
    'state-dir': Flags.string({ summary: '--stack: the mes infra state directory.', env: 'MES_INFRA_STATE_DIR', default: '~/.mes/infra' }),
    backend: Flags.string({ summary: '--stack: the stack\'s Pulumi backend, when not the local one.', env: 'MES_INFRA_BACKEND' }),
    suites: Flags.string({ summary: 'Run only these suites of the profile (a drill: --suites failover); the clauses of the others report unknown.', multiple: true, delimiter: ',' }),
    resilience: Flags.string({ summary: 'Resilience suite windows: short (CI) or full (certification).', options: ['short', 'full'], default: 'short' }),
    certified: Flags.boolean({ summary: 'Fail unless every clause of the profile passed (no skipped or unknown).', default: false }),
    seed: Flags.integer({ summary: 'Seed of every random choice; the same seed replays the same run. Default: random, recorded.', min: 0 }),
    out: Flags.string({ summary: 'Directory for the evidence bundle.', default: '.' }),
    junit: Flags.string({ summary: 'Also write the whole run as JUnit XML to this file, for CI systems (one testsuite per suite, one testcase per check named by its clauses); the bundle holds it as raw/junit.xml either way.' }),
    'signing-key': Flags.string({ summary: 'Ed25519 private key (PKCS#8 PEM) to sign the manifest; generated there when the file does not exist.', env: 'MES_CONFORMANCE_SIGNING_KEY', default: DEFAULT_SIGNING_KEY }),
    config: Flags.string({ summary: 'JSON file with measurement settings, e.g. {"latency": {"maxP95Ratio": 1.2}, "resilience": {"failover": {"rate": 50}, "releases": {…}}}.' }),
  };

  /** --platform kubernetes --stack: the target URL the stack exported. */
  private stackTargetUrl?: string;

  public async run() {
    const f = this.flags;
    const settings = this.readConfig();
    // Without --profile, --suites picks the profile that holds them all (--suites ui runs the ui profile).
    const profileName = f.profile ?? (f.suites?.length ? profiles().find((p) => f.suites!.every((x) => p.suites.includes(x)))?.name : undefined) ?? 'core';
    const profile = profiles().find((p) => p.name === profileName);
    if (!profile) throw usage(`no profile ${f.profile}`);
    const unknownSuites = (f.suites ?? []).filter((s) => !profile.suites.includes(s));
    if (unknownSuites.length) throw usage(`--suites ${unknownSuites.join(',')}: not in the ${profile.name} profile (its suites: ${profile.suites.join(', ')})`);
    const resilience: ResilienceOverrides = { ...settings.resilience, profile: f.resilience as 'short' | 'full', ...(f.replicas ? { replicas: f.replicas } : {}) };
    // Ctrl+C, also while the platform is still starting, stops it and everything a suite started for
    // itself (the diagnosis suite's own cluster and replica), and nothing new starts after: no
    // process is left behind.
    const starting = this.startPlatform(resilience);
    const stop = onInterrupt(async () => {
      process.stderr.write('interrupted: stopping the platform\n');
      await stopEverythingStarted();
    });
    let platform: Platform | undefined;
    try {
      platform = await starting;
    } catch (err) {
      await stop.exitIfInterrupted();
      stop.dispose();
      throw err;
    }
    // A local platform is tested at its own front, with its bootstrap key when it printed one (MES_URL
    // and MES_API_KEY in the environment may well point at another server).
    const local = platform?.kind === 'local' ? (platform as LocalPlatform) : undefined;
    if (local && f.target) process.stderr.write(`--target ${f.target} ignored: --platform local tests its own front at ${local.url}\n`);
    const apiKey = local?.bootstrapApiKey ?? f['api-key'];
    let outcome;
    try {
      if (!apiKey) throw usage(platform?.kind === 'local' ? `the database at --database already has an admin, so no bootstrap key was printed: pass --api-key mes_… (a platform admin key of that database)` : 'pass --api-key mes_… (a platform admin key of the target) or set MES_API_KEY');
      outcome = await runConformance({
        target: local ? local.url : (f.target ?? this.stackTargetUrl ?? platform?.url),
        apiKey,
        profile: profile.name,
        platform,
        certified: f.certified,
        seed: f.seed,
        outDir: f.out,
        ...(f.junit ? { junit: f.junit } : {}),
        signingKey: f['signing-key'],
        latency: settings.latency,
        resilience,
        ...(f.suites ? { suites: f.suites } : {}),
        onProgress: (m) => process.stderr.write(`${m}\n`),
      });
    } catch (err) {
      await stop.exitIfInterrupted();
      if (err instanceof CommandFailure) throw err;
      if (err instanceof UsageError) throw usage(err.message);
      throw new CommandFailure((err as Error).message, { code: 'RUN_FAILED' });
    } finally {
      stop.dispose();
      if (platform?.kind === 'local') process.stderr.write('stopping the local platform\n');
      await platform?.close();
    }
    const summary = { bundle: outcome.bundle, ...(f.junit ? { junit: f.junit } : {}), verdict: outcome.results.verdict, runId: outcome.results.runId, seed: outcome.results.seed, profile: outcome.results.profile, certified: outcome.results.certified, counts: outcome.results.counts, clauses: outcome.results.clauses.map((c) => ({ id: c.id, status: c.status, ...(c.reason ? { reason: c.reason } : {}) })), ...(outcome.results.platform ? { platform: { kind: outcome.results.platform.kind, url: outcome.results.platform.url } } : {}), signingKey: outcome.signingKey };
    if (outcome.exitCode !== 0) {
      if (!this.jsonEnabled()) process.stderr.write(`${terminalReport(outcome.results)}\nevidence: ${outcome.bundle}\n`);
      throw new CommandFailure(`conformance ${outcome.results.verdict}${outcome.results.certified && outcome.results.verdict !== 'failed' ? ' (a certified run needs every clause passed)' : ''}: evidence in ${outcome.bundle}`, { code: outcome.results.verdict === 'failed' ? 'CONFORMANCE_FAILED' : 'CONFORMANCE_INCOMPLETE', details: summary });
    }
    this.log(terminalReport(outcome.results));
    this.log(`evidence: ${outcome.bundle}`);
    return summary;
  }

  private readConfig(): { latency?: Partial<LatencyConfig>; resilience?: ResilienceOverrides } {
    if (!this.flags.config) return {};
    try {
      return JSON.parse(readFileSync(this.flags.config, 'utf8')) as { latency?: Partial<LatencyConfig>; resilience?: ResilienceOverrides };
    } catch (err) {
      throw usage(`--config ${this.flags.config}: ${(err as Error).message}`);
    }
  }

  /** The platform --platform asks for, checked flag by flag before anything starts. */
  private async startPlatform(resilience: ResilienceOverrides): Promise<Platform | undefined> {
    const f = this.flags;
    if (f.stack && f.platform !== 'kubernetes') throw usage('--stack names a mes infra stack on Kubernetes: use it with --platform kubernetes');
    if (!f.platform) {
      if (!f.target) throw usage('pass --target <url> (the MES under test), or --platform local --database postgres://… to start one');
      return undefined;
    }
    if (f.platform === 'kubernetes') {
      const k = { ...(f.stack ? await stackTarget(f.stack, expandHome(f['state-dir']), f.backend) : {}), ...definedFlags({ kubeconfig: f.kubeconfig, context: f.context, namespace: f.namespace, deployment: f.deployment, target: f.target }) };
      const missing = [!k.namespace && '--namespace <ns>', !k.deployment && '--deployment <name>', !k.target && '--target <the Service or Ingress URL clients use>'].filter(Boolean);
      if (missing.length) throw usage(`--platform kubernetes needs ${missing.join(', ')} (and --kubeconfig/--context unless the default kubeconfig's current context is the cluster), or --stack <name> of a mes infra stack`);
      if (f.stack) process.stderr.write(`from stack ${f.stack}: namespace ${k.namespace}, deployment ${k.deployment}, target ${k.target}${k.kubeconfig ? `, kubeconfig ${k.kubeconfig}` : ''}${k.context ? `, context ${k.context}` : ''}\n`);
      this.stackTargetUrl = k.target;
      try {
        return new KubernetesPlatform({ kubeconfig: k.kubeconfig, context: k.context, namespace: k.namespace!, deployment: k.deployment!, url: k.target! });
      } catch (err) {
        throw usage(`--platform kubernetes: cannot load the kubeconfig${k.kubeconfig ? ` ${k.kubeconfig}` : ''}${k.context ? ` (context ${k.context})` : ''}: ${(err as Error).message}`);
      }
    }
    if (!f.database || !/^postgres(ql)?:\/\//.test(f.database)) throw usage('--platform local needs --database postgres://… : the replicas are separate processes sharing one PostgreSQL database (an embedded PGlite cannot be shared)');
    let local: ResilienceConfig['local'];
    try {
      local = resolveResilience(resilience.profile, resilience).local;
    } catch (err) {
      throw usage((err as Error).message);
    }
    const replicas = f.replicas ?? local.replicas!;
    // The autoscaler's floor is N, so the failover and upgrade suites measure N replicas while idle.
    const autoscaler = { ...local.autoscaler!, minReplicas: replicas, maxReplicas: Math.max(local.autoscaler!.maxReplicas, replicas + 2) };
    process.stderr.write(`starting a local platform: ${replicas} replicas on ${redactUrl(f.database)}\n`);
    try {
      const p = await LocalPlatform.start({
        databaseUrl: f.database,
        replicas,
        env: local.env,
        analysis: local.analysis,
        autoscaler,
        onEvent: (e) => process.stderr.write(`platform: ${e.type}${e.replica ? ` ${e.replica}` : ''}: ${e.message}\n`),
      });
      process.stderr.write(`local platform ready at ${p.url}\n`);
      return p;
    } catch (err) {
      throw new CommandFailure(`the local platform could not start: ${(err as Error).message}`, { code: (err as { code?: string }).code ?? 'PLATFORM_START_FAILED', exit: (err as { code?: string }).code === 'NEEDS_POSTGRES' ? EXIT.usage : EXIT.failure });
    }
  }
}

interface KubernetesTarget {
  kubeconfig?: string;
  context?: string;
  namespace?: string;
  deployment?: string;
  target?: string;
}

/**
 * Where a `mes infra` stack put the MES: its outputs through the Automation API when the Pulumi CLI
 * is here, else the outputs `mes infra up|outputs|refresh` saved in the state directory.
 */
async function stackTarget(stack: string, stateDir: string, backend: string | undefined): Promise<KubernetesTarget> {
  const { findPulumi, readSavedOutputs, runInfra, stackOutputsFile } = await import('@mes/infra/automation');
  let outputs;
  try {
    outputs = findPulumi() ? (await runInfra({ action: 'outputs', stack, stateDir, ...(backend ? { backend } : {}) })).outputs : readSavedOutputs(stateDir, stack);
  } catch (err) {
    throw usage(`--stack ${stack}: cannot read its outputs: ${(err as Error).message}`);
  }
  if (!outputs) throw usage(`--stack ${stack}: no outputs saved at ${stackOutputsFile(stateDir, stack)} and no Pulumi CLI to ask the backend: run \`mes infra up --stack ${stack}\` (or \`mes infra outputs\`) where Pulumi is installed, or pass --namespace, --deployment and --target`);
  if (!outputs.deployment) throw usage(`--stack ${stack} deploys no MES platform (components: ${(outputs.components ?? []).join(', ')}): pass --namespace, --deployment and --target`);
  return definedFlags({ kubeconfig: outputs.kubeconfigPath, context: outputs.context, namespace: outputs.namespace, deployment: outputs.deployment, target: outputs.url });
}

function definedFlags<T extends Record<string, string | undefined>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * On SIGINT/SIGTERM: clean up (stop the platform), then exit 130; a second signal exits at once.
 * The run fails as soon as the platform goes away: exitIfInterrupted() keeps that failure from
 * reporting exit 1 before the cleanup has finished.
 */
function onInterrupt(cleanup: () => Promise<void>) {
  let cleaning: Promise<void> | undefined;
  const handler = () => {
    if (cleaning) process.exit(130);
    cleaning = cleanup().catch(() => {});
    void cleaning.then(() => process.exit(130));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    async exitIfInterrupted() {
      if (!cleaning) return;
      await cleaning;
      process.exit(130);
    },
    dispose() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
