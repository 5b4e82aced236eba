import { join } from 'node:path';
import { loadNodeOpcua } from '../drivers/opcua.js';
import { SimulatedMachine } from './machine.js';

export interface OpcuaSimulator {
  endpointUrl: string;
  /** Node ids of the simulated variables. */
  nodes: { temperature: string; spindleSpeed: string; state: string; energy: string; setpoint: string };
  /** The setpoint as last written by a client. */
  setpoint(): number;
  close(): Promise<void>;
}

/**
 * An OPC UA server (node-opcua) with one CNC machine: temperature, spindle speed, state and an
 * energy counter that change over time, and a writable setpoint. Security modes None, Sign and
 * SignAndEncrypt (Basic256Sha256); anonymous or user/password. It trusts client certificates it
 * has not seen before (it is a simulator); its own PKI lives under `pkiDir`.
 */
export async function startOpcuaSimulator(opts: { port?: number; pkiDir: string; user?: { name: string; password: string }; allowAnonymous?: boolean }): Promise<OpcuaSimulator> {
  const ua = await loadNodeOpcua();
  const certificates = new ua.OPCUACertificateManager({ rootFolder: join(opts.pkiDir, 'server'), automaticallyAcceptUnknownCertificate: true });
  await certificates.initialize();
  const server = new ua.OPCUAServer({
    port: opts.port ?? 0,
    hostname: '127.0.0.1',
    resourcePath: '/UA/mes-sim',
    serverCertificateManager: certificates,
    userCertificateManager: certificates,
    securityModes: [ua.MessageSecurityMode.None, ua.MessageSecurityMode.Sign, ua.MessageSecurityMode.SignAndEncrypt],
    securityPolicies: [ua.SecurityPolicy.None, ua.SecurityPolicy.Basic256Sha256],
    allowAnonymous: opts.allowAnonymous ?? true,
    userManager: { isValidUser: (name: string, password: string) => !!opts.user && name === opts.user.name && password === opts.user.password },
    buildInfo: { productName: 'mes-edge OPC UA simulator', buildNumber: '1', buildDate: new Date(0) },
  });
  await server.initialize();
  const space = server.engine.addressSpace!;
  const ns = space.getOwnNamespace();
  const cnc = ns.addObject({ organizedBy: space.rootFolder.objects, browseName: 'CNC1' });
  const machine = new SimulatedMachine(60_000);
  let signals = machine.at();
  let setpoint = 8000;
  const ticker = setInterval(() => (signals = machine.at()), 100);
  const id = (name: string) => `ns=${ns.index};s=CNC1.${name}`;
  const variable = (name: string, dataType: 'Double' | 'String', get: () => number | string) =>
    ns.addVariable({
      componentOf: cnc, nodeId: id(name), browseName: name, dataType, minimumSamplingInterval: 100,
      value: { get: () => new ua.Variant({ dataType: ua.DataType[dataType], value: get() }) },
    });
  variable('Temperature', 'Double', () => signals.temperature);
  variable('SpindleSpeed', 'Double', () => signals.spindleRpm);
  variable('State', 'String', () => signals.state);
  variable('Energy', 'Double', () => signals.energyKwh);
  ns.addVariable({
    componentOf: cnc, nodeId: id('Setpoint'), browseName: 'Setpoint', dataType: 'Double', minimumSamplingInterval: 100,
    accessLevel: 'CurrentRead | CurrentWrite', userAccessLevel: 'CurrentRead | CurrentWrite',
    value: {
      get: () => new ua.Variant({ dataType: ua.DataType.Double, value: setpoint }),
      set: (v: { value: number }) => {
        setpoint = v.value;
        return ua.StatusCodes.Good;
      },
    },
  });
  await server.start();
  const port = server.endpoints[0].port;
  return {
    endpointUrl: `opc.tcp://127.0.0.1:${port}/UA/mes-sim`,
    nodes: { temperature: id('Temperature'), spindleSpeed: id('SpindleSpeed'), state: id('State'), energy: id('Energy'), setpoint: id('Setpoint') },
    setpoint: () => setpoint,
    close: async () => {
      clearInterval(ticker);
      await server.shutdown(0);
      await certificates.dispose();
    },
  };
}
