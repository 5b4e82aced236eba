import type { ConfigProblem, DeviceConfig } from '../config.js';
import type { DriverDefinition } from './driver.js';
import { modbusDriver } from './modbus.js';
import { mqttDriver } from './mqtt.js';
import { opcuaDriver } from './opcua.js';
import { sparkplugDriver } from './sparkplug.js';

/** Every protocol the gateway speaks. A new protocol is one driver file and one line here. */
const DRIVERS: DriverDefinition[] = [mqttDriver, sparkplugDriver, opcuaDriver, modbusDriver];

export function knownProtocols(): string[] {
  return DRIVERS.map((d) => d.protocol);
}

export function driverFor(protocol: string): DriverDefinition {
  const d = DRIVERS.find((x) => x.protocol === protocol);
  if (!d) throw new Error(`no driver for protocol ${protocol}`);
  return d;
}

export function validateDevice(device: DeviceConfig): ConfigProblem[] {
  return driverFor(device.protocol).validate(device);
}
