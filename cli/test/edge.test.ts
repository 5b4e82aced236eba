import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MODBUS_MAP, startModbusSimulator } from '@mes/edge';
import { gatewayFixture } from '../../edge/test/support/fixture.js';
import { TestReceiver } from '../../edge/test/support/receiver.js';
import { killAll, mesJson, start, tempDir, within } from './helpers.js';

const dirs: Array<{ remove(): void }> = [];
afterAll(async () => {
  await killAll();
  for (const d of dirs) d.remove();
});

describe('mes edge', () => {
  it('S1-4.2.3: edge run refuses an invalid config with CONFIG_INVALID and every offending field', async () => {
    const d = tempDir('mes-edge-cli-');
    dirs.push(d);
    const file = join(d.dir, 'gw.json');
    writeFileSync(file, JSON.stringify({ gatewayId: 'gw-1', cloudUrl: 'http://127.0.0.1:1', devices: [{ device: 'X', protocol: 'modbus', connection: {}, points: [] }] }));
    const res = await mesJson(['edge', 'run', '--config', file]);
    expect(res.code).toBe(1);
    expect(res.json.error.code).toBe('CONFIG_INVALID');
    expect(res.json.error.fields.map((f: { field: string }) => f.field)).toEqual(['gatewayId', 'devices[0].connection.host']);
  });

  it('S1-5.3.8-a: edge run reads a device, uploads signed batches, answers /readyz and stops with exit 0 on SIGTERM', async () => {
    const fx = gatewayFixture('gw-cli');
    dirs.push({ remove: fx.cleanup });
    const receiver = new TestReceiver();
    await receiver.start();
    receiver.addGateway(fx.gatewayId, fx.publicKeyPem);
    const modbus = await startModbusSimulator();
    try {
      const file = fx.writeConfig(fx.config(receiver.url, [{
        device: 'COMP-02', protocol: 'modbus', connection: { host: '127.0.0.1', port: modbus.port, pollMs: 50 },
        points: [{ point: 'pressure', type: 'number', unit: 'bar', source: { ...MODBUS_MAP.pressure } }],
      }]));
      const run = start(['edge', 'run', '--config', file, '--json']);
      const ready = JSON.parse(await within(run.firstLine, 60_000, 'mes edge run first line'));
      expect(ready).toMatchObject({ gatewayId: fx.gatewayId, devices: [{ device: 'COMP-02', protocol: 'modbus' }], fsync: 'batch' });
      expect((await fetch(`http://${ready.http.host}:${ready.http.port}/readyz`)).status).toBe(200);
      await within(receiver.until(() => receiver.stored.size >= 3), 30_000, 'records at the MES');
      expect([...receiver.stored.values()][0]).toMatchObject({ device: 'COMP-02', point: 'pressure', unit: 'bar', quality: 'good' });
      run.child.kill('SIGTERM');
      expect(await within(run.exited, 30_000, 'mes edge run to stop')).toEqual({ code: 0, signal: null });
      expect(run.out().stdout.trim().split('\n')).toHaveLength(1);
    } finally {
      await modbus.close();
      await receiver.stop();
    }
  });

  it('S1-4.2.3: edge register never overwrites an existing key file', async () => {
    const d = tempDir('mes-edge-cli-');
    dirs.push(d);
    const key = join(d.dir, 'gateway.pem');
    writeFileSync(key, 'precious');
    const res = await mesJson(['edge', 'register', '--code', 'gw-1', '--name', 'Gateway 1', '--key-out', key], { url: 'http://127.0.0.1:1', apiKey: 'mes_x' });
    expect(res.code).toBe(1);
    expect(res.json.error.code).toBe('KEY_EXISTS');
  });
});
