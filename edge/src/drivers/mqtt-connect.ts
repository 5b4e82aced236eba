import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { DriverContext } from './driver.js';

/**
 * An MQTT client for a driver (shared by the JSON and Sparkplug drivers): the device's
 * `connection.url` or the gateway's brokerUrl, reconnecting every second, connection state reported.
 */
export function connectMqtt(ctx: DriverContext, extra: IClientOptions = {}): MqttClient {
  const c = ctx.device.connection as { url?: string; clientId?: string; username?: string; password?: string };
  const url = c.url ?? ctx.brokerUrl;
  if (!url) throw new Error(`device ${ctx.device.device}: no connection.url and no brokerUrl in the gateway config`);
  ctx.connection('connecting');
  const client = mqtt.connect(url, {
    clientId: c.clientId ?? `mes-edge-${ctx.device.device}-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    username: c.username,
    password: c.password,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...extra,
  });
  client.on('connect', () => ctx.connection('connected'));
  client.on('offline', () => ctx.connection('disconnected'));
  client.on('error', (err) => ctx.log.warn('mqtt error', { device: ctx.device.device, error: err.message }));
  return client;
}

/** Whether an MQTT topic filter (with + and #) matches a topic. */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}
