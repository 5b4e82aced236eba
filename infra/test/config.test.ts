import { describe, expect, it } from 'vitest';
import { componentsOf, InfraConfigError, isPinnedImage, releaseOf, validateInfraConfig } from '../src/config.js';
import { example } from './helpers.js';

function problems(raw: unknown): Array<{ path: string; message: string }> {
  try {
    validateInfraConfig(raw);
  } catch (err) {
    expect(err).toBeInstanceOf(InfraConfigError);
    return (err as InfraConfigError).problems;
  }
  throw new Error('the configuration was accepted');
}

const base = example('private');

describe('stack configuration', () => {
  it('S1-5.3.1-b: the three example configurations are valid, with defaults applied, and each target deploys its components', () => {
    expect(componentsOf(example('public'))).toEqual(['cluster', 'database', 'platform']);
    expect(componentsOf(example('private'))).toEqual(['database', 'platform']);
    expect(componentsOf(example('hybrid'))).toEqual(['database', 'platform', 'edge']);
    expect(base.platform.dbPoolSize).toBe(10);
    expect(base.edgeSites).toEqual([]);
    expect(example('hybrid').edgeSites[1].ssh!.port).toBe(22);
    expect(releaseOf(base.platform)).toBe('0.1.0');
  });

  it('S1-5.3.1-c: components names what deploys; a component without its section is refused', () => {
    expect(componentsOf(example('private', { components: ['platform'] }))).toEqual(['platform']);
    expect(problems({ ...structuredClone(base), components: ['edge'] })).toEqual([{ path: 'components', message: expect.stringContaining('at least one entry in edgeSites') }]);
    expect(problems({ ...structuredClone(base), components: ['warehouse'] })[0].path).toBe('components.0');
  });

  it('names every missing or mistyped field by its path, against the database kind it names', () => {
    const raw = structuredClone(base) as any;
    delete raw.database.storageClass;
    raw.database.instances = 'three';
    raw.platform.ingress.tlsSecret = '';
    raw.platform.replicas = 0;
    expect(problems(raw)).toEqual(
      expect.arrayContaining([
        { path: 'database.storageClass', message: 'is required' },
        { path: 'database.instances', message: 'Expected integer' },
        { path: 'platform.ingress.tlsSecret', message: expect.stringContaining('length greater or equal to 1') },
        { path: 'platform.replicas', message: expect.stringContaining('greater or equal to 1') },
      ]),
    );
  });

  it('refuses what the targets and the policies forbid, each with the reason', () => {
    const rules = (raw: Record<string, unknown>) => problems({ ...structuredClone(base), ...raw }).map((p) => `${p.path}: ${p.message}`);
    expect(rules({ platform: { ...base.platform, image: 'registry.example.com/mes/server:latest' } })).toEqual([expect.stringMatching(/^platform\.image: .*not pinned/)]);
    expect(rules({ platform: { ...base.platform, image: 'registry.example.com/mes/server' } })).toEqual([expect.stringMatching(/^platform\.image: .*not pinned/)]);
    expect(rules({ target: 'public' })).toEqual([expect.stringMatching(/^cluster: the public target runs on a managed Kubernetes cluster/), expect.stringMatching(/^database\.kind: .*"alicloud-rds", not "cloudnativepg"/)]);
    expect(rules({ target: 'hybrid' })).toEqual([expect.stringMatching(/^edgeSites: the hybrid target is a cloud core plus at least one edge site/)]);
    expect(rules({ encryptedStorageClasses: ['standard'] })).toEqual([expect.stringMatching(/^database\.storageClass: "encrypted-ssd" is not in encryptedStorageClasses/)]);
    expect(rules({ platform: { ...base.platform, autoscaling: { minReplicas: 5, maxReplicas: 2, cpuUtilization: 70, requestsPerSecond: 50 } } })).toEqual([expect.stringMatching(/minReplicas 5 is above maxReplicas 2/)]);
    const hybrid = structuredClone(example('hybrid')) as any;
    delete hybrid.edgeSites[1].ssh;
    hybrid.edgeSites[1].package = { npm: '@mes/cli@latest' };
    hybrid.edgeSites[0].devices.push({ device: 'PRESS-01' });
    expect(problems(hybrid).map((p) => p.path)).toEqual(['edgeSites.0.devices', 'edgeSites.1.ssh', 'edgeSites.1.package.npm']);
  });

  it('an image is pinned by a version tag or a digest, never latest', () => {
    expect(isPinnedImage('registry.example.com:5000/mes/server:0.2.0')).toBe(true);
    expect(isPinnedImage(`mes/server@sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(isPinnedImage('registry.example.com:5000/mes/server')).toBe(false);
    expect(isPinnedImage('mes/server:latest')).toBe(false);
  });
});
