/**
 * `mes infra preview|up|destroy|refresh|outputs` through the Pulumi Automation API: an inline
 * program (the components of program.ts), a local `file://` backend under the state directory
 * unless another backend is named, the passphrase secrets provider, and the MES policy pack on
 * every preview and update. The Automation API drives the `pulumi` CLI, which must be installed.
 */
import { accessSync, chmodSync, constants, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LocalWorkspace, PulumiCommand, type OutputMap, type Stack } from '@pulumi/pulumi/automation/index.js';
import { validateInfraConfig, type InfraConfig } from './config.js';
import type { StackOutputs } from './program.js';
import { resolveSecrets } from './secrets.js';

// What the CLI needs besides runInfra, from modules as light as this one: `mes infra outputs` and
// `mes conformance run --stack` load no component, provider or policy code.
export { InfraConfigError, TARGETS, validateInfraConfig } from './config.js';
export { SecretSourceError } from './secrets.js';
/** The pulumi CLI failed (its output went to onOutput): what a stack command reports as exit 1. */
export { CommandError } from '@pulumi/pulumi/automation/index.js';

export const PROJECT = 'mes';
export const DEFAULT_STATE_DIR = path.join(homedir(), '.mes', 'infra');
/** The policy pack directory the engine runs (infra/policy-pack). */
export const POLICY_PACK_DIR = fileURLToPath(new URL('../policy-pack', import.meta.url));

export const INSTALL_PULUMI = 'install the Pulumi CLI (https://www.pulumi.com/docs/install/: `curl -fsSL https://get.pulumi.com | sh`, or `brew install pulumi/tap/pulumi`), then make sure `pulumi version` works in this shell';

/** A usage problem: exit 2 (no pulumi, no passphrase, no configuration). */
export class InfraUsageError extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/** The `pulumi` executable on PATH, or undefined. */
export function findPulumi(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, process.platform === 'win32' ? 'pulumi.exe' : 'pulumi');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export type InfraAction = 'preview' | 'up' | 'destroy' | 'refresh' | 'outputs';

export interface InfraRunOptions {
  action: InfraAction;
  stack: string;
  /** Default ~/.mes/infra: the file backend, the workspace and the outputs files. */
  stateDir?: string;
  /** Any Pulumi backend URL (s3://…, azblob://…, https://api.pulumi.com, file://…); default file://<stateDir>/backend. */
  backend?: string;
  /** The stack configuration file; absent: the one stored with the stack by an earlier run. */
  configFile?: string;
  /** Overrides the configuration's target. */
  target?: InfraConfig['target'];
  env?: NodeJS.ProcessEnv;
  /** Pulumi's progress, line by line. */
  onOutput?: (text: string) => void;
}

export interface InfraRunResult {
  action: InfraAction;
  stack: string;
  backend: string;
  /** preview: planned operations by kind (create, update, delete, same…). */
  changes?: Record<string, number>;
  /** up/destroy/refresh: the engine's result and counts. */
  summary?: { result: string; resourceChanges?: Record<string, number> };
  /** Stack outputs; secrets (the kubeconfig) are written to a 0600 file and named instead. */
  outputs?: Partial<StackOutputs> & Record<string, unknown>;
  /** The outputs file `mes conformance run --stack` reads. */
  outputsFile?: string;
}

export function stackOutputsFile(stateDir: string, stack: string): string {
  return path.join(stateDir, 'stacks', `${stack}.json`);
}

/** The outputs an earlier `mes infra up|refresh|outputs` saved for a stack, without a pulumi binary. */
export function readSavedOutputs(stateDir: string, stack: string): (Partial<StackOutputs> & Record<string, unknown>) | undefined {
  try {
    return JSON.parse(readFileSync(stackOutputsFile(stateDir, stack), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export async function runInfra(opts: InfraRunOptions): Promise<InfraRunResult> {
  const env = opts.env ?? process.env;
  if (!findPulumi(env)) throw new InfraUsageError(`mes infra ${opts.action} drives Pulumi through its Automation API, which needs the \`pulumi\` CLI on PATH, and there is none: ${INSTALL_PULUMI}. (\`mes infra render\` needs no Pulumi CLI.)`, 'PULUMI_NOT_INSTALLED');
  if (!env.PULUMI_CONFIG_PASSPHRASE && !env.PULUMI_CONFIG_PASSPHRASE_FILE) {
    throw new InfraUsageError('set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE): it encrypts the stack\'s secrets (database URL, keys) in its state; keep it, every later run of this stack needs the same one', 'PASSPHRASE_MISSING');
  }
  const stateDir = path.resolve(opts.stateDir ?? DEFAULT_STATE_DIR);
  const backend = opts.backend ?? pathToFileURL(path.join(stateDir, 'backend')).href;
  if (backend.startsWith('file://')) mkdirSync(fileURLToPath(backend), { recursive: true });
  const workDir = path.join(stateDir, 'workspace');
  mkdirSync(workDir, { recursive: true });

  const given = opts.configFile ? loadConfigFile(opts.configFile, opts.target) : undefined;
  // The program runs only for preview and up; it reads the configuration (from --config, else the
  // stack's own) and the secrets it names when the engine calls it.
  let config = given?.config;
  let configDir = given?.dir ?? process.cwd();
  const program = async () => {
    const { mesProgram } = await import('./program.js');
    return mesProgram(config!, resolveSecrets(config!, { baseDir: configDir, env }))();
  };
  const pulumiCommand = await PulumiCommand.get({ skipVersionCheck: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: opts.stack, projectName: PROJECT, program },
    {
      workDir,
      pulumiCommand,
      projectSettings: { name: PROJECT, runtime: 'nodejs', backend: { url: backend }, description: 'The MES (@mes/infra), driven by mes infra' },
      secretsProvider: 'passphrase',
      envVars: { PULUMI_SKIP_UPDATE_CHECK: 'true', ...passphraseEnv(env) },
    },
  );
  const base = { action: opts.action, stack: opts.stack, backend };
  const onOutput = opts.onOutput;
  if (opts.action === 'preview' || opts.action === 'up') {
    if (given) {
      await stack.setConfig('mes:infra', { value: JSON.stringify(given.raw) });
      await stack.setConfig('mes:configDir', { value: given.dir });
    } else {
      ({ config, configDir } = await storedConfig(stack, opts.target));
    }
    const [{ encryptedStorageClasses }, { policyPackConfig }] = await Promise.all([import('./program.js'), import('./policy/policies.js')]);
    const policyConfig = path.join(workDir, `policy-config.${opts.stack}.json`);
    writeFileSync(policyConfig, JSON.stringify(policyPackConfig({ encryptedStorageClasses: encryptedStorageClasses(config!) }), null, 2));
    const policy = { policyPacks: [POLICY_PACK_DIR], policyPackConfigs: [policyConfig] };
    if (opts.action === 'preview') {
      const result = await stack.preview({ ...policy, onOutput, diff: true });
      return { ...base, changes: result.changeSummary as Record<string, number> };
    }
    const result = await stack.up({ ...policy, onOutput });
    return { ...base, summary: { result: result.summary.result, resourceChanges: result.summary.resourceChanges as Record<string, number> | undefined }, ...saveOutputs(stateDir, opts.stack, result.outputs) };
  }
  if (opts.action === 'destroy') {
    const result = await stack.destroy({ onOutput });
    return { ...base, summary: { result: result.summary.result, resourceChanges: result.summary.resourceChanges as Record<string, number> | undefined } };
  }
  if (opts.action === 'refresh') {
    const result = await stack.refresh({ onOutput });
    return { ...base, summary: { result: result.summary.result, resourceChanges: result.summary.resourceChanges as Record<string, number> | undefined }, ...saveOutputs(stateDir, opts.stack, await stack.outputs()) };
  }
  return { ...base, ...saveOutputs(stateDir, opts.stack, await stack.outputs()) };
}

function passphraseEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  if (env.PULUMI_CONFIG_PASSPHRASE) return { PULUMI_CONFIG_PASSPHRASE: env.PULUMI_CONFIG_PASSPHRASE };
  return { PULUMI_CONFIG_PASSPHRASE_FILE: env.PULUMI_CONFIG_PASSPHRASE_FILE! };
}

/** A configuration file: parsed, with --target applied, validated (every problem at once). */
export function loadConfigFile(file: string, target?: InfraConfig['target']): { raw: unknown; config: InfraConfig; dir: string } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new InfraUsageError(`--config ${file}: ${(err as Error).message}`, 'INVALID_INFRA_CONFIG');
  }
  if (target) raw = { ...raw, target };
  return { raw, config: validateInfraConfig(raw), dir: path.dirname(path.resolve(file)) };
}

async function storedConfig(stack: Stack, target?: InfraConfig['target']): Promise<{ config: InfraConfig; configDir: string }> {
  const all = await stack.getAllConfig();
  const stored = all['mes:infra']?.value;
  if (!stored) throw new InfraUsageError(`stack ${stack.name} has no configuration yet: pass --config <file> (it is stored with the stack for later runs)`, 'NO_INFRA_CONFIG');
  const raw = JSON.parse(stored) as Record<string, unknown>;
  return { config: validateInfraConfig(target ? { ...raw, target } : raw), configDir: all['mes:configDir']?.value ?? process.cwd() };
}

/** Outputs as plain values; the kubeconfig (a secret) goes to a 0600 file next to them. */
function saveOutputs(stateDir: string, stackName: string, outputs: OutputMap): { outputs: InfraRunResult['outputs']; outputsFile: string } {
  const plain: Record<string, unknown> = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.value]));
  const file = stackOutputsFile(stateDir, stackName);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  if (typeof plain.kubeconfig === 'string') {
    const kubeconfigFile = path.join(path.dirname(file), `${stackName}.kubeconfig`);
    writeFileSync(kubeconfigFile, plain.kubeconfig, { mode: 0o600 });
    chmodSync(kubeconfigFile, 0o600);
    delete plain.kubeconfig;
    plain.kubeconfigPath = kubeconfigFile;
  }
  writeFileSync(file, `${JSON.stringify(plain, null, 2)}\n`, { mode: 0o600 });
  return { outputs: plain as InfraRunResult['outputs'], outputsFile: file };
}
