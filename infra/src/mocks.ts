/**
 * Runs a Pulumi program under Pulumi's mocks (no engine, no cloud, no cluster) and records every
 * resource it declares with its resolved inputs: what `mes infra render`, the unit tests and the
 * S1-6.1-a conformance check read. The same component code `pulumi up` runs, nothing stubbed
 * but the providers' answers.
 */
import { createRequire } from 'node:module';
import * as pulumi from '@pulumi/pulumi';

const require = createRequire(import.meta.url);
// Not re-exported by @pulumi/pulumi's index: the root Stack resource and the RPC drain, the two
// pieces `pulumi up` itself runs a program with.
const { runInPulumiStack } = require('@pulumi/pulumi/runtime/stack.js') as { runInPulumiStack(init: () => Promise<unknown>): Promise<unknown> };
const { waitForRPCs } = require('@pulumi/pulumi/runtime/settings.js') as { waitForRPCs(): Promise<void> };

export interface PlannedResource {
  /** Pulumi type token, e.g. kubernetes:apps/v1:Deployment, alicloud:rds/instance:Instance. */
  type: string;
  name: string;
  /** A provider-managed resource (false: a component or the stack). */
  custom: boolean;
  /** Resolved inputs, secrets unwrapped. */
  inputs: Record<string, any>;
}

export interface Plan {
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
}

/** What the providers would answer for the outputs the program reads back. */
const FAKE_KUBECONFIG = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: [{name: mes, cluster: {server: "https://mes-cluster.invalid:6443"}}]',
  'users: [{name: mes, user: {token: mock}}]',
  'contexts: [{name: mes, context: {cluster: mes, user: mes}}]',
  'current-context: mes',
].join('\n');

function mockState(type: string, inputs: Record<string, any>): Record<string, any> {
  if (type === 'alicloud:rds/instance:Instance') return { ...inputs, connectionString: 'mes.pg.rds.internal', port: '5432' };
  return inputs;
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * The resources `program` declares and its stack outputs. Plans run one at a time: Pulumi's
 * runtime state is per process.
 */
export function planWithMocks(program: () => Promise<Record<string, unknown>>, opts: { project?: string; stack?: string } = {}): Promise<Plan> {
  const run = queue.then(() => runPlan(program, opts));
  queue = run.catch(() => undefined);
  return run;
}

async function runPlan(program: () => Promise<Record<string, unknown>>, opts: { project?: string; stack?: string }): Promise<Plan> {
  // Pulumi records each resource's source position by formatting a full stack trace; where stacks
  // are formatted through source maps (vitest, --enable-source-maps) that is most of a plan's time
  // (1.3 s instead of 0.1 s). Under mocks the positions go nowhere: V8's own formatting will do.
  const prepare = Error.prepareStackTrace;
  delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
  try {
    return await planResources(program, opts);
  } finally {
    Error.prepareStackTrace = prepare;
  }
}

async function planResources(program: () => Promise<Record<string, unknown>>, opts: { project?: string; stack?: string }): Promise<Plan> {
  const resources: PlannedResource[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = unwrapSecrets(args.inputs) as Record<string, any>;
        resources.push({ type: args.type, name: args.name, custom: args.custom ?? true, inputs });
        return { id: `${args.name}-id`, state: mockState(args.type, inputs) };
      },
      call(args) {
        if (args.token === 'alicloud:cs/getClusterCredential:getClusterCredential') return { ...args.inputs, kubeConfig: FAKE_KUBECONFIG };
        return args.inputs;
      },
    },
    opts.project ?? 'mes',
    opts.stack ?? 'plan',
    false,
  );
  // A program that throws (a component refusing its arguments) fails the plan with that error;
  // caught here, it does not also surface as Pulumi's unhandled rejections of the stack.
  let failure: { error: unknown } | undefined;
  const outputs = (await runInPulumiStack(async () => {
    try {
      return await program();
    } catch (error) {
      failure = { error };
      return {};
    }
  })) as Record<string, unknown> | undefined;
  await waitForRPCs();
  if (failure) throw failure.error;
  return { resources, outputs: unwrapSecrets(outputs ?? {}) as Record<string, unknown> };
}

const SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

/** Inputs as the program gave them: the RPC layer wraps secret values in a marker object. */
export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (o[SIG_KEY] === SECRET_SIG) return unwrapSecrets(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}
