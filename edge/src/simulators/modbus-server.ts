import net from 'node:net';
import { ServerTCP } from 'modbus-serial';
import { encodeRegisters } from '../drivers/modbus-codec.js';
import { SimulatedMachine } from './machine.js';

/**
 * A Modbus TCP server with a compressor's map:
 * - input registers 0: temperature ×10 (int16); 1–2: energy Wh (uint32, high word first);
 *   3–4: pressure bar (float32, LOW word first, as many devices do);
 * - holding register 10: speed setpoint rpm (uint16, writable); 11–12: spare (int32);
 * - coil 0: motor on (writable); discrete input 0: running.
 */
export const MODBUS_MAP = {
  temperature: { area: 'input', address: 0, type: 'int16' },
  energy: { area: 'input', address: 1, type: 'uint32' },
  pressure: { area: 'input', address: 3, type: 'float32', wordOrder: 'little' },
  setpoint: { area: 'holding', address: 10, type: 'uint16' },
  motorOn: { area: 'coil', address: 0 },
  running: { area: 'discrete', address: 0 },
} as const;

export interface ModbusSimulator {
  port: number;
  holding: number[];
  coils: boolean[];
  /** Freezes the changing values (tests read known values). */
  freeze(values: { temperature: number; energyWh: number; pressure: number; running: boolean }): void;
  close(): Promise<void>;
}

export async function startModbusSimulator(opts: { port?: number; unitId?: number } = {}): Promise<ModbusSimulator> {
  // modbus-serial reads port 0 as "the default 502": pick a free port ourselves.
  const port = opts.port || (await freePort());
  const input = new Array<number>(32).fill(0);
  const holding = new Array<number>(32).fill(0);
  const coils = new Array<boolean>(16).fill(false);
  const discrete = new Array<boolean>(16).fill(false);
  holding[10] = 1500;
  coils[0] = true;
  const machine = new SimulatedMachine(40_000);
  let frozen = false;
  const load = (v: { temperature: number; energyWh: number; pressure: number; running: boolean }) => {
    input[0] = encodeRegisters(Math.round(v.temperature * 10), 'int16')[0];
    [input[1], input[2]] = encodeRegisters(Math.round(v.energyWh), 'uint32');
    [input[3], input[4]] = encodeRegisters(v.pressure, 'float32', 'big', 'little');
    discrete[0] = v.running;
  };
  const update = () => {
    if (frozen) return;
    const s = machine.at();
    load({ temperature: s.temperature, energyWh: s.energyKwh * 1000, pressure: s.pressureBar, running: coils[0] && s.state === 'run' });
  };
  update();
  const ticker = setInterval(update, 200);
  const inRange = <T>(arr: T[], addr: number): T => {
    if (addr < 0 || addr >= arr.length) throw Object.assign(new Error('Illegal data address'), { modbusErrorCode: 2 });
    return arr[addr];
  };
  const server = new ServerTCP({
    getInputRegister: (addr: number) => inRange(input, addr),
    getHoldingRegister: (addr: number) => inRange(holding, addr),
    getCoil: (addr: number) => inRange(coils, addr),
    getDiscreteInput: (addr: number) => inRange(discrete, addr),
    setRegister: (addr: number, value: number) => void (inRange(holding, addr), (holding[addr] = value)),
    setCoil: (addr: number, value: boolean) => void (inRange(coils, addr), (coils[addr] = value)),
  }, { host: '127.0.0.1', port, unitID: opts.unitId ?? 1 });
  // Without listeners these events would throw: a client hanging up must not end the simulator.
  server.on('error', () => {});
  server.on('socketError', () => {});
  await new Promise<void>((resolve, reject) => {
    server.on('initialized', () => resolve());
    server.on('serverError', reject);
  });
  return {
    port,
    holding,
    coils,
    freeze: (v) => {
      frozen = true;
      load(v);
    },
    close: () => new Promise<void>((resolve) => {
      clearInterval(ticker);
      server.close(() => resolve());
    }),
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}
