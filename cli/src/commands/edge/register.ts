import { existsSync, rmSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { createKeyFile } from '@mes/edge';
import type { Gateway } from '@mes/sdk';
import { CommandFailure, MesApiCommand } from '../../base-command.js';

export interface EdgeRegisterResult {
  gateway: Gateway;
  /** The x-mes-gateway header and the gatewayId of the gateway config. */
  gatewayId: string;
  keyFile: string;
  publicKey: string;
}

export default class EdgeRegister extends MesApiCommand<typeof EdgeRegister> {
  static override summary = 'Register an edge gateway in the MES with a new Ed25519 key pair.';

  static override description = `Generates an Ed25519 key pair, registers the public key with the MES as a gateway of your tenant (POST /v1/gateways; needs the equipment:write permission) and writes the private key to --key-out with mode 0600. The private key never leaves this machine: copy it to the gateway (default location /etc/mes-edge/keys/gateway.pem) and put the printed gatewayId in its config.

An existing --key-out file is never overwritten. If the MES refuses the registration the new key file is deleted again.`;

  static override examples = [
    { description: 'Register the gateway of hall 1', command: '<%= config.bin %> <%= command.id %> --code gw-hall-1 --name "Hall 1 gateway" --key-out ./gateway.pem' },
  ];

  static override flags = {
    code: Flags.string({ summary: 'Gateway code, unique in the tenant (letters, digits, - _ .).', required: true }),
    name: Flags.string({ summary: 'Name shown to people.', required: true }),
    'site-id': Flags.string({ summary: 'Id of the site (plant) the gateway serves.' }),
    'key-out': Flags.string({ summary: 'Where to write the private key (PEM, mode 0600).', required: true }),
  };

  public async run(): Promise<EdgeRegisterResult> {
    const { flags } = this;
    if (existsSync(flags['key-out'])) {
      throw new CommandFailure(`${flags['key-out']} exists: a gateway key is never overwritten; choose another --key-out`, { code: 'KEY_EXISTS' });
    }
    const me = await this.client.me.get();
    const { publicKeyPem } = createKeyFile(flags['key-out']);
    let gateway: EdgeRegisterResult['gateway'];
    try {
      gateway = await this.client.equipment.gateways.register({ code: flags.code, name: flags.name, ...(flags['site-id'] ? { siteId: flags['site-id'] } : {}), publicKey: publicKeyPem });
    } catch (err) {
      rmSync(flags['key-out'], { force: true });
      throw err;
    }
    const result: EdgeRegisterResult = { gateway, gatewayId: `${me.tenant.id}.${gateway.code}`, keyFile: flags['key-out'], publicKey: publicKeyPem };
    this.log([
      `Gateway ${gateway.code} registered (id ${gateway.id}).`,
      `  gatewayId: ${result.gatewayId}   (put this in the gateway config)`,
      `  key:       ${result.keyFile} (mode 0600; copy it to the gateway, keep it secret)`,
    ].join('\n'));
    return result;
  }
}
