import { CommandError, InfraConfigError, InfraUsageError, runInfra, SecretSourceError, TARGETS, type InfraAction, type InfraRunResult } from '@mes/infra/automation';
import { Command, Flags } from '@oclif/core';
import { CommandFailure, EXIT, MesCommand } from './base-command.js';

/** Flags every `mes infra` command shares. */
export const infraFlags = {
  target: Flags.string({ summary: 'Override the configuration\'s target.', options: [...TARGETS] }),
  config: Flags.string({ summary: 'Stack configuration file (JSON, docs/infra.md); stored with the stack, so later runs may leave it out.' }),
};

export const stackFlags = {
  stack: Flags.string({ summary: 'Pulumi stack name (e.g. prod, factory-dc).', required: true }),
  'state-dir': Flags.string({ summary: 'Where the local backend, the workspace and the saved outputs live.', env: 'MES_INFRA_STATE_DIR', default: '~/.mes/infra' }),
  backend: Flags.string({ summary: 'Any Pulumi backend URL (s3://…, azblob://…, gs://…, https://api.pulumi.com); default file://<state-dir>/backend.', env: 'MES_INFRA_BACKEND' }),
};

/** ~ expanded, for --state-dir. */
export function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? `${process.env.HOME ?? ''}${p.slice(1)}` : p;
}

/** Configuration, secret and missing-pulumi problems are usage errors (exit 2) that name what to do. */
export function infraFailure(err: Error): CommandFailure | undefined {
  if (err instanceof InfraUsageError) return new CommandFailure(err.message, { code: err.code, exit: EXIT.usage, cause: err });
  if (err instanceof InfraConfigError) return new CommandFailure(`invalid infrastructure configuration (${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}):`, { code: err.code, exit: EXIT.usage, fields: err.problems.map((p) => ({ field: p.path, message: p.message })), cause: err });
  if (err instanceof SecretSourceError) return new CommandFailure(err.message, { code: err.code, exit: EXIT.usage, cause: err });
  return undefined;
}

/**
 * preview, up, destroy, refresh and outputs: one stack action through the Automation API, Pulumi's
 * progress streamed to stderr, a result object on stdout with --json.
 */
export abstract class InfraStackCommand<T extends typeof Command> extends MesCommand<T> {
  protected abstract readonly action: InfraAction;

  public async run(): Promise<InfraRunResult> {
    const f = this.flags as { stack: string; 'state-dir': string; backend?: string; config?: string; target?: 'public' | 'private' | 'hybrid' };
    const result = await runInfra({
      action: this.action,
      stack: f.stack,
      stateDir: expandHome(f['state-dir']),
      ...(f.backend ? { backend: f.backend } : {}),
      ...(f.config ? { configFile: f.config } : {}),
      ...(f.target ? { target: f.target } : {}),
      onOutput: (text) => process.stderr.write(text),
    }).catch((err: Error) => {
      throw infraFailure(err) ?? err;
    });
    if (!this.jsonEnabled()) this.log(summaryLine(result));
    return result;
  }

  protected override toFailure(err: Error & { oclif?: { exit?: number }; code?: unknown }): CommandFailure {
    // The pulumi CLI failed (its output was streamed above): a failed update, a policy violation,
    // a concurrent update, a stack that does not exist.
    if (err instanceof CommandError) {
      return new CommandFailure(`pulumi ${this.action} failed for stack ${(this.flags as { stack: string }).stack}: ${lastLines(err.message)}`, { code: 'PULUMI_FAILED', cause: err });
    }
    return super.toFailure(err);
  }
}

function summaryLine(r: InfraRunResult): string {
  const counts = (m: Record<string, number> | undefined) => Object.entries(m ?? {}).map(([k, v]) => `${v} ${k}`).join(', ') || 'no changes';
  if (r.action === 'preview') return `stack ${r.stack}: preview: ${counts(r.changes)}`;
  if (r.action === 'outputs') return `stack ${r.stack} outputs (saved to ${r.outputsFile}):\n${JSON.stringify(r.outputs, null, 2)}`;
  return `stack ${r.stack}: ${r.action} ${r.summary?.result ?? ''}: ${counts(r.summary?.resourceChanges)}${r.outputsFile ? `\noutputs saved to ${r.outputsFile}` : ''}`;
}

function lastLines(text: string, n = 12): string {
  return text.trim().split('\n').slice(-n).join('\n');
}
