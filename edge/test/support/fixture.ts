import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKeyFile } from '../../src/forward/signing.js';
import type { DeviceConfig } from '../../src/config.js';

/** A gateway's files in a temp dir: its key pair and a config writer. */
export function gatewayFixture(name = 'gw') {
  const dir = mkdtempSync(join(tmpdir(), `mes-edge-${name}-`));
  const gatewayId = `${randomUUID()}.${name}`;
  const keyFile = join(dir, 'keys', 'gateway.pem');
  const { publicKeyPem } = createKeyFile(keyFile);
  const config = (cloudUrl: string, devices: DeviceConfig[], extra: Record<string, unknown> = {}) => ({
    gatewayId, cloudUrl, keyFile,
    journalDir: join(dir, 'journal'),
    httpPort: 0, httpHost: '127.0.0.1',
    heartbeatMs: 200,
    forward: { lingerMs: 20, minBackoffMs: 50, maxBackoffMs: 300, timeoutMs: 5000 },
    devices,
    ...extra,
  });
  const writeConfig = (c: unknown) => {
    const file = join(dir, 'gateway.json');
    writeFileSync(file, JSON.stringify(c));
    return file;
  };
  return { dir, gatewayId, keyFile, publicKeyPem, config, writeConfig, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A JSON GET against a gateway's health port. */
export async function getJson(url: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url);
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: text };
  }
}

/** Polls `test` every 20 ms until it holds (for state outside this process, e.g. a child gateway). */
export async function until<T>(what: string, test: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await test();
    if (v) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
