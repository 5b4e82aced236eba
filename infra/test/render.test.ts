/**
 * `mes infra render`: the components' objects as files, validated against the Kubernetes schemas
 * and the policy pack; deploy/kubernetes is exactly the private example rendered.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderManifests } from '../src/render.js';
import { validateObject } from '../src/schemas.js';
import { example } from './helpers.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/kubernetes/', import.meta.url));
const dirs: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mes-render-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const files = (root: string): string[] => readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => path.relative(root, path.join(e.parentPath, e.name))).sort();

describe('mes infra render', () => {
  it('S1-6.1-a: deploy/kubernetes is the private example rendered from the components, file for file', async () => {
    const out = tmp();
    const result = await renderManifests(example('private'), { outDir: out });
    expect(result).toMatchObject({ ok: true, written: true, violations: [], schema: { errors: [], unchecked: ['postgresql.cnpg.io/v1/Cluster', 'postgresql.cnpg.io/v1/ScheduledBackup'] } });
    expect(result.schema.validated).toBe(17);
    expect(files(DEPLOY), 'regenerate with: mes infra render --config infra/examples/private.json --out deploy/kubernetes').toEqual(files(out));
    for (const file of files(out)) expect(readFileSync(path.join(DEPLOY, file), 'utf8'), `deploy/kubernetes/${file} differs from the render`).toBe(readFileSync(path.join(out, file), 'utf8'));
  });

  it('S1-5.3.1-b: the hybrid target: a directory per namespace with its kustomization, the Secrets to create listed and never written', async () => {
    const out = tmp();
    const result = await renderManifests(example('hybrid'), { outDir: out });
    expect(result.ok).toBe(true);
    expect(files(out).filter((f) => f.endsWith('kustomization.yaml'))).toEqual(['mes-edge-plant-a/kustomization.yaml', 'mes/kustomization.yaml']);
    const kustomization = yaml.load(readFileSync(path.join(out, 'mes-edge-plant-a/kustomization.yaml'), 'utf8')) as { resources: string[] };
    expect(kustomization.resources).toEqual(['namespace.yaml', 'configmaps.yaml', 'deployment.yaml', 'network-policies.yaml', 'rbac.yaml', 'service.yaml', 'volumes.yaml']);
    expect(result.expectedSecrets).toEqual([
      { namespace: 'mes', name: 'mes-db-backup-s3', keys: ['ACCESS_KEY_ID', 'ACCESS_SECRET_KEY'] },
      { namespace: 'mes', name: 'mes-tls', keys: ['tls.crt', 'tls.key'] },
      { namespace: 'mes-edge-plant-a', name: 'mes-edge-gateway-key', keys: ['gateway.pem'] },
      { namespace: 'mes-edge-plant-a', name: 'mes-edge-mqtt-tls', keys: ['tls.crt', 'tls.key'] },
    ]);
    expect(result.edgeBoxes).toEqual(['plant-b']);
    const everything = files(out).map((f) => readFileSync(path.join(out, f), 'utf8')).join('\n');
    expect(everything).not.toMatch(/kind: Secret\b/);
    // The public target's cloud resources are listed, not rendered.
    const pub = await renderManifests(example('public'));
    expect(pub.cloudResources.map((r) => r.type)).toContain('alicloud:rds/instance:Instance');
    expect(pub.written).toBe(false);
  });

  it('the Kubernetes schema catches what types cannot: a missing required field, a string where an integer belongs', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'mes' }, spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'mes', image: 'x:1' }] } } } };
    expect(validateObject(deployment)).toEqual([]);
    expect(validateObject({ ...deployment, spec: { ...deployment.spec, selector: undefined, replicas: 'three' } })).toEqual(['spec: must have required property selector', 'spec.replicas: must be integer']);
    expect(validateObject({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'http' }] } })).toEqual(['spec.ports.0.port: must be integer']);
    expect(validateObject({ apiVersion: 'postgresql.cnpg.io/v1', kind: 'Cluster' })).toBe('no-schema');
  });
});
