import modbusSerial from 'modbus-serial';
import type { ConfigProblem, DeviceConfig, PointConfig } from '../config.js';
import type { PointValue } from '../record.js';
import { need, type Driver, type DriverContext, type DriverDefinition } from './driver.js';
import { REGISTER_TYPES, decodeRegisters, encodeRegisters, registerCount, type Order, type RegisterType } from './modbus-codec.js';

type Area = 'holding' | 'input' | 'coil' | 'discrete';
interface ModbusSource {
  area: Area;
  address: number;
  type?: RegisterType;
  byteOrder?: Order;
  wordOrder?: Order;
}

/**
 * Modbus TCP polling. Connection: `{ host, port?: 502, unitId?: 1, pollMs?: 1000, timeoutMs?: 2000 }`.
 * A point's source: `{ area: holding|input|coil|discrete, address, type?: int16|uint16|int32|uint32|float32
 * (registers; default uint16), byteOrder?, wordOrder? }`. Holding registers and coils are writable.
 */
export const modbusDriver: DriverDefinition = {
  protocol: 'modbus',
  validate(device: DeviceConfig): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    need(device.connection, 'host', 'string', 'connection', problems);
    device.points.forEach((p, i) => {
      const s = p.source as unknown as ModbusSource;
      const at = `points[${i}].source`;
      if (!['holding', 'input', 'coil', 'discrete'].includes(s.area)) problems.push({ field: `${at}.area`, message: 'must be holding, input, coil or discrete' });
      if (!Number.isInteger(s.address) || s.address < 0 || s.address > 65535) problems.push({ field: `${at}.address`, message: 'must be 0..65535' });
      if (s.type !== undefined && !REGISTER_TYPES.includes(s.type)) problems.push({ field: `${at}.type`, message: `must be one of ${REGISTER_TYPES.join(', ')}` });
      const bits = s.area === 'coil' || s.area === 'discrete';
      if (bits !== (p.type === 'boolean')) problems.push({ field: `points[${i}].type`, message: bits ? 'coils and discrete inputs are boolean' : 'registers are numbers' });
      if (p.writable && s.area !== 'holding' && s.area !== 'coil') problems.push({ field: `points[${i}].writable`, message: 'only holding registers and coils can be written' });
    });
    return problems;
  },
  create: (ctx) => new ModbusDriver(ctx),
};

class ModbusDriver implements Driver {
  // modbus-serial is CommonJS; its `default` is the client class itself.
  private readonly client = new modbusSerial.default();
  private readonly host: string;
  private readonly port: number;
  private readonly pollMs: number;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private connecting?: Promise<void>;

  constructor(private readonly ctx: DriverContext) {
    const c = ctx.device.connection as { host: string; port?: number; unitId?: number; pollMs?: number; timeoutMs?: number };
    this.host = c.host;
    this.port = c.port ?? 502;
    this.pollMs = c.pollMs ?? 1000;
    this.client.setID(c.unitId ?? 1);
    this.client.setTimeout(c.timeoutMs ?? 2000);
  }

  async start(): Promise<void> {
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.client.isOpen) await new Promise<void>((resolve) => this.client.close(() => resolve()));
  }

  async write(point: PointConfig, value: PointValue): Promise<void> {
    const s = point.source as unknown as ModbusSource;
    await this.ensureConnected();
    if (s.area === 'coil') {
      if (typeof value !== 'boolean') throw new Error(`coil ${point.point} takes true or false`);
      await this.client.writeCoil(s.address, value);
      return;
    }
    if (typeof value !== 'number') throw new Error(`register ${point.point} takes a number`);
    const raw = (value - (point.scale?.offset ?? 0)) / (point.scale?.factor ?? 1);
    const type = s.type ?? 'uint16';
    await this.client.writeRegisters(s.address, encodeRegisters(type === 'float32' ? raw : Math.round(raw), type, s.byteOrder, s.wordOrder));
  }

  private schedule(ms: number): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.poll(), ms);
  }

  private async poll(): Promise<void> {
    try {
      await this.ensureConnected();
      for (const p of this.ctx.device.points) await this.readPoint(p);
    } catch (err) {
      this.ctx.connection('disconnected', (err as Error).message);
      if (this.client.isOpen) this.client.close(() => {});
    }
    this.schedule(this.pollMs);
  }

  private async readPoint(p: PointConfig): Promise<void> {
    const s = p.source as unknown as ModbusSource;
    try {
      this.ctx.reading(p.point, await this.read(s));
    } catch (err) {
      const e = err as Error & { modbusCode?: number };
      // A Modbus exception answer concerns this point; anything else is the connection.
      if (e.modbusCode === undefined) throw err;
      this.ctx.badInput(p.point, 'READ_FAILED', e.message);
    }
  }

  private async read(s: ModbusSource): Promise<PointValue> {
    switch (s.area) {
      case 'coil': return (await this.client.readCoils(s.address, 1)).data[0];
      case 'discrete': return (await this.client.readDiscreteInputs(s.address, 1)).data[0];
      case 'holding':
      case 'input': {
        const type = s.type ?? 'uint16';
        const n = registerCount(type);
        const res = s.area === 'holding' ? await this.client.readHoldingRegisters(s.address, n) : await this.client.readInputRegisters(s.address, n);
        return decodeRegisters(res.data, type, s.byteOrder, s.wordOrder);
      }
    }
  }

  private ensureConnected(): Promise<void> {
    if (this.client.isOpen) return Promise.resolve();
    this.ctx.connection('connecting');
    this.connecting ??= this.client
      .connectTCP(this.host, { port: this.port })
      .then(() => this.ctx.connection('connected'))
      .finally(() => (this.connecting = undefined));
    return this.connecting!;
  }
}
