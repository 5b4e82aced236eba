import { Command, Errors, Flags, type Interfaces } from '@oclif/core';
import { MesClient, MesConnectionError, MesError, MesTimeoutError } from '@mes/sdk';

/** Exit codes of every `mes` command. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export interface FieldProblem {
  in?: string;
  field: string;
  code?: string;
  message: string;
}

/**
 * A failure a command reports on purpose: a stable code, a message for people, exit 1 unless
 * told otherwise. `details` rides along in --json output (for example the audit verdict).
 */
export class CommandFailure extends Error {
  readonly code: string;
  readonly exit: number;
  readonly traceId?: string;
  readonly fields?: FieldProblem[];
  readonly details?: unknown;

  constructor(message: string, opts: { code: string; exit?: number; traceId?: string; fields?: FieldProblem[]; details?: unknown; cause?: unknown }) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = opts.code;
    this.exit = opts.exit ?? EXIT.failure;
    this.traceId = opts.traceId;
    this.fields = opts.fields;
    this.details = opts.details;
  }
}

/** The JSON printed on stdout by a failed command run with --json. */
export interface ErrorJson {
  status: number;
  error: { code: string; message: string; traceId?: string; fields?: FieldProblem[]; details?: unknown };
}

export type InferredFlags<T extends typeof Command> = Interfaces.InferredFlags<T['baseFlags'] & T['flags']>;
export type InferredArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>;

/**
 * What every `mes` command extends: --json (stdout is then one JSON document, progress goes to
 * stderr), parsed flags and args in this.flags/this.args, errors mapped to messages and exit codes
 * (0 success, 1 failure, 2 usage error).
 */
export abstract class MesCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true;

  protected flags!: InferredFlags<T>;
  protected args!: InferredArgs<T>;
  /** Every positional argument, for commands that take a list (static strict = false). */
  protected argList: string[] = [];

  public override async init(): Promise<void> {
    await super.init();
    const ctor = this.ctor as typeof MesCommand;
    const { args, flags, argv } = await this.parse({
      flags: ctor.flags,
      baseFlags: ctor.baseFlags,
      enableJsonFlag: ctor.enableJsonFlag,
      args: ctor.args,
      strict: ctor.strict,
    });
    this.flags = flags as InferredFlags<T>;
    this.args = args as InferredArgs<T>;
    this.argList = argv.map(String);
  }

  /** One JSON document on stdout, never colourised, whatever the terminal. */
  public override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof Errors.ExitError) throw err;
    const failure = this.toFailure(err);
    process.exitCode = failure.exit;
    if (this.jsonEnabled()) {
      const body: ErrorJson = {
        status: failure.exit,
        error: {
          code: failure.code,
          message: failure.message,
          ...(failure.traceId ? { traceId: failure.traceId } : {}),
          ...(failure.fields?.length ? { fields: failure.fields } : {}),
          ...(failure.details !== undefined ? { details: failure.details } : {}),
        },
      };
      this.logJson(body);
      return undefined;
    }
    // Usage errors keep oclif's rendering (with its suggestions and help); they exit 2.
    if (failure.exit === EXIT.usage && !(err instanceof CommandFailure)) {
      err.oclif = { ...err.oclif, exit: EXIT.usage };
      throw err;
    }
    process.stderr.write(`${humanMessage(failure)}\n`);
    // handle() exits with this code and prints nothing more.
    throw new Errors.ExitError(failure.exit);
  }

  /** Turns anything thrown into a failure with a code, a message and an exit code. */
  protected toFailure(err: Error & { oclif?: { exit?: number }; code?: unknown }): CommandFailure {
    if (err instanceof CommandFailure) return err;
    if (err instanceof Errors.CLIError) {
      const exit = err.oclif?.exit ?? EXIT.usage;
      return new CommandFailure(err.message, { code: exit === EXIT.usage ? 'USAGE' : 'FAILED', exit, cause: err });
    }
    // Parser errors that are not CLIErrors (a flag's parse function threw) are still usage errors.
    if (err.message?.startsWith('Parsing --')) return new CommandFailure(err.message, { code: 'USAGE', exit: EXIT.usage, cause: err });
    const code = typeof err.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(err.code) ? err.code : 'FAILED';
    return new CommandFailure(err.message || String(err), { code, cause: err });
  }
}

export function humanMessage(f: CommandFailure): string {
  const lines = [`Error: ${f.message}`];
  for (const field of f.fields ?? []) lines.push(`  - ${field.field}: ${field.message}${field.code ? ` (${field.code})` : ''}`);
  if (f.traceId) lines.push(`trace id: ${f.traceId}`);
  return lines.join('\n');
}

export const DEFAULT_URL = 'http://127.0.0.1:8080';

/** A command that talks to a running MES over HTTP through the SDK: --url and --api-key. */
export abstract class MesApiCommand<T extends typeof Command> extends MesCommand<T> {
  static override baseFlags = {
    url: Flags.string({
      summary: 'Base URL of the MES.',
      env: 'MES_URL',
      default: DEFAULT_URL,
      helpGroup: 'CONNECTION',
      parse: async (input) => {
        let url: URL;
        try {
          url = new URL(input);
        } catch {
          throw new Errors.CLIError(`--url must be an http(s) URL such as ${DEFAULT_URL}, got "${input}"`);
        }
        if (url.protocol !== 'http:' && url.protocol !== 'https:') {
          throw new Errors.CLIError(`--url must be an http(s) URL such as ${DEFAULT_URL}, got "${input}"`);
        }
        return input.replace(/\/+$/, '');
      },
    }),
    'api-key': Flags.string({
      summary: 'API key to authenticate with (mes_…).',
      env: 'MES_API_KEY',
      helpGroup: 'CONNECTION',
    }),
  };

  private clientInstance?: MesClient;

  /** The MES base URL, without a trailing slash. */
  protected get url(): string {
    return (this.flags as { url: string }).url;
  }

  protected get apiKey(): string | undefined {
    return (this.flags as { 'api-key'?: string })['api-key'] || undefined;
  }

  protected get client(): MesClient {
    return (this.clientInstance ??= new MesClient({ baseUrl: this.url, apiKey: this.apiKey }));
  }

  protected override toFailure(err: Error & { oclif?: { exit?: number }; code?: unknown }): CommandFailure {
    if (err instanceof MesConnectionError) {
      return new CommandFailure(`cannot reach the MES at ${this.url}: start it with \`mes up\` or set --url/MES_URL`, {
        code: 'CONNECTION_FAILED',
        cause: err,
      });
    }
    if (err instanceof MesTimeoutError) {
      return new CommandFailure(`the MES at ${this.url} did not answer in time (${err.message})`, { code: 'TIMEOUT', cause: err });
    }
    if (err instanceof MesError) return failureFromMesError(err, this.apiKey !== undefined);
    return super.toFailure(err);
  }
}

/** "<code>: <detail>", the field errors and the trace id of an API problem. */
export function failureFromMesError(err: MesError, hadKey: boolean): CommandFailure {
  let message = `${err.code}: ${mesErrorDetail(err)}`;
  if (err.status === 401 && !hadKey) message += ' (no API key given: pass --api-key or set MES_API_KEY; `mes up` prints the admin key on its first start)';
  const fields = (err.fields ?? []).map((f) => ({ ...(f.in ? { in: f.in } : {}), field: f.field, code: f.code, message: f.message }));
  return new CommandFailure(message, {
    code: err.code,
    traceId: err.traceId || undefined,
    fields,
    ...(err.status >= 400 ? { details: { httpStatus: err.status } } : {}),
    cause: err,
  });
}

/** The problem's detail; else the error's message without the "<code>: " the SDK puts before it. */
export function mesErrorDetail(err: MesError): string {
  const detail = (err.problem as { detail?: unknown } | undefined)?.detail;
  if (typeof detail === 'string' && detail) return detail;
  let message = err.message;
  while (message.startsWith(`${err.code}: `)) message = message.slice(err.code.length + 2);
  return message;
}
