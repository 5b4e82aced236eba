/**
 * `mes infra` as a user runs it. No Pulumi CLI exists here: render needs none; the stack commands
 * exit 2 saying how to install it; the Automation API's wiring (workspace, file backend, passphrase
 * provider, stack selection, outputs) is exercised against a stand-in `pulumi` (test/fixtures/fake-pulumi),
 * and `mes conformance run --stack` takes its Kubernetes target from the outputs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { killAll, mes, mesJson } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FAKE = fileURLToPath(new URL('fixtures/fake-pulumi', import.meta.url));
const dir = mkdtempSync(path.join(tmpdir(), 'mes-infra-cli-'));
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** PATH without any pulumi (there is none on this machine; the test makes sure). */
const NO_PULUMI = { PATH: path.dirname(process.execPath) };
const KUBECONFIG = 'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: mes, context: {cluster: c, user: u}}]\ncurrent-context: mes\n';

describe('mes infra', () => {
  it('S1-6.1-a: render writes the hybrid target\'s manifests and reports them as JSON', async () => {
    const out = path.join(dir, 'manifests');
    const res = await mesJson(['infra', 'render', '--config', path.join(ROOT, 'infra/examples/hybrid.json'), '--out', out]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.json).toMatchObject({ target: 'hybrid', ok: true, written: true, violations: [], edgeBoxes: ['plant-b'] });
    expect(res.json.files.map((f: { path: string }) => f.path)).toContain('mes-edge-plant-a/deployment.yaml');
    expect(readFileSync(path.join(out, 'mes/deployment.yaml'), 'utf8')).toContain('image: registry.example.com/mes/server:0.1.0');
  });

  it('preview, up, destroy, refresh and outputs without a pulumi binary: exit 2 and how to install it; a bad configuration: exit 2 naming the field', async () => {
    const up = await mes(['infra', 'up', '--stack', 'prod', '--config', path.join(ROOT, 'infra/examples/private.json'), '--state-dir', dir], { env: NO_PULUMI });
    expect(up.code).toBe(2);
    expect(up.stderr).toContain('needs the `pulumi` CLI on PATH, and there is none: install the Pulumi CLI');
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ target: 'private', platform: { image: 'mes:1.0', ingress: { host: 'mes.example.com', tlsSecret: 'tls' } }, database: { kind: 'external', cidrs: ['10.0.0.0/8'] }, replicas: 3 }));
    const render = await mesJson(['infra', 'render', '--config', bad, '--out', path.join(dir, 'x')]);
    expect(render.code).toBe(2);
    expect(render.json.error).toMatchObject({ code: 'INVALID_INFRA_CONFIG', fields: [{ field: 'replicas', message: 'Unexpected property' }] });
  });

  it('outputs through the Automation API: a workspace with the file backend under --state-dir, the passphrase provider, the kubeconfig saved 0600 for the conformance runner', async () => {
    const stateDir = path.join(dir, 'state');
    const fakeStacks = path.join(stateDir, 'backend', '.fake-stacks');
    mkdirSync(fakeStacks, { recursive: true });
    writeFileSync(path.join(fakeStacks, 'prod.stack'), 'passphrase');
    writeFileSync(path.join(fakeStacks, 'prod.outputs.json'), JSON.stringify({ target: 'public', components: ['cluster', 'database', 'platform'], namespace: 'mes', deployment: 'mes', url: 'http://127.0.0.1:9', kubeconfig: KUBECONFIG }));
    const log = path.join(dir, 'pulumi.log');
    const env = { PATH: `${FAKE}${path.delimiter}${NO_PULUMI.PATH}`, PULUMI_CONFIG_PASSPHRASE: 'correct horse', FAKE_PULUMI_LOG: log };
    const res = await mesJson(['infra', 'outputs', '--stack', 'prod', '--state-dir', stateDir], { env });
    expect(res.code, res.stderr).toBe(0);
    const kubeconfigPath = path.join(stateDir, 'stacks', 'prod.kubeconfig');
    expect(res.json).toMatchObject({ action: 'outputs', stack: 'prod', backend: `file://${path.join(stateDir, 'backend')}`, outputs: { deployment: 'mes', kubeconfigPath }, outputsFile: path.join(stateDir, 'stacks', 'prod.json') });
    expect(readFileSync(kubeconfigPath, 'utf8')).toBe(KUBECONFIG);
    expect(statSync(kubeconfigPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(stateDir, 'stacks', 'prod.json'), 'utf8')).not.toContain('token');
    expect(readFileSync(path.join(stateDir, 'workspace', 'Pulumi.yaml'), 'utf8')).toMatch(/name: mes[\s\S]*runtime: nodejs[\s\S]*url: file:\/\//);
    const calls = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(calls.map((c) => c.args.join(' '))).toEqual([
      'version',
      'stack select --stack prod --non-interactive',
      'stack output --json --stack prod --non-interactive',
      'stack output --json --show-secrets --stack prod --non-interactive',
    ]);
    expect(calls.slice(1).every((c) => c.passphrase && c.cwd === path.join(stateDir, 'workspace'))).toBe(true);

    // A new stack is created with the passphrase secrets provider.
    const fresh = await mesJson(['infra', 'outputs', '--stack', 'staging', '--state-dir', stateDir], { env });
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(readFileSync(path.join(fakeStacks, 'staging.stack'), 'utf8')).toBe('passphrase');

    // A pulumi that fails: exit 1 with its message.
    const failed = await mesJson(['infra', 'destroy', '--stack', 'prod', '--state-dir', stateDir], { env });
    expect(failed.code).toBe(1);
    expect(failed.json.error).toMatchObject({ code: 'PULUMI_FAILED', message: expect.stringMatching(/^pulumi destroy failed for stack prod: [\s\S]*fake pulumi: unsupported command: destroy/) });

    // The conformance runner takes the platform from the stack's saved outputs where there is no
    // Pulumi CLI (with one, it reads them through the Automation API as above).
    const conformance = ['conformance', 'run', '--profile', 'platform', '--platform', 'kubernetes', '--stack', 'prod', '--state-dir', stateDir, '--api-key', 'mes_unused', '--signing-key', path.join(dir, 'signing.pem'), '--out', dir];
    const run = await mes(conformance, { env: NO_PULUMI });
    expect(run.stderr).toContain(`from stack prod: namespace mes, deployment mes, target http://127.0.0.1:9, kubeconfig ${kubeconfigPath}`);
    expect(run.stderr).toContain('cannot reach the target at http://127.0.0.1:9');
    expect(run.code).toBe(1);
    const none = await mes([...conformance.slice(0, 7), 'nowhere', ...conformance.slice(8)], { env: NO_PULUMI });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('--stack nowhere: no outputs saved at');
  });
});
