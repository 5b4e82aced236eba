import { basename } from 'node:path';
import * as command from '@pulumi/command';
import * as pulumi from '@pulumi/pulumi';
import { checkArgs } from './common.js';
import { EDGE_CONTRACT, gatewayConfig, mosquittoConfig, type Device } from './edge-contract.js';
import { sha256 } from './edge-site.js';

export interface MesEdgeBoxArgs {
  site: string;
  gatewayId: string;
  cloudUrl: string;
  devices: Device[];
  ssh: { host: string; port: number; user: string; privateKey: pulumi.Input<string>; hostKey?: string };
  /** The gateway's Ed25519 private signing key (PEM). */
  gatewayKey: pulumi.Input<string>;
  /** An exact npm spec (from a registry the box reaches), or a built bundle copied from here. */
  package: { npm: string; registry?: string } | { tarball: string; sha256: string };
  /** A Node.js ≥ 20 Linux tarball to install under /opt/node; absent: the box's own Node.js (apt when missing). */
  node?: { tarballUrl: string; sha256: string };
  mqtt: { tls: boolean };
}

/** Root for what follows, through sudo when the SSH user is not root. */
const ROOT = 'set -eu; SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo -n"';
/** Writes stdin to a file owned by mes-edge with mode 0600 (the key and the configuration). */
const writeFile = (path: string, mode = '0600', owner = EDGE_CONTRACT.user) => `${ROOT}; $SUDO install -m ${mode} -o ${owner} -g ${owner} /dev/stdin ${path}`;

/**
 * The edge gateway on a bare box without Kubernetes, over SSH: a `mes-edge` system user, Node.js,
 * the pinned mes package, the configuration and the signing key (0600, owned by mes-edge), the
 * journal directory, a local Mosquitto, and a hardened systemd unit that runs
 * `mes edge run --config /etc/mes-edge/gateway.json`. Destroying it stops and removes the unit; the
 * journal stays, so nothing not yet forwarded is lost.
 */
export class MesEdgeBox extends pulumi.ComponentResource {
  readonly unitName = 'mes-edge.service';
  readonly brokerUrl: string;

  constructor(name: string, args: MesEdgeBoxArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mes:infra:EdgeBox', name, {}, opts);
    const pkg = args.package;
    checkArgs('MesEdgeBox', [
      !args.ssh.host && 'ssh.host is required',
      !args.ssh.user && 'ssh.user is required',
      'npm' in pkg && !/@\d+\.\d+\.\d+\S*$/.test(pkg.npm) && `package.npm "${pkg.npm}" is not pinned to an exact version`,
      'tarball' in pkg && !/^[0-9a-f]{64}$/.test(pkg.sha256) && 'package.sha256 must be the tarball\'s SHA-256 (64 hex digits)',
      new Set(args.devices.map((d) => d.device)).size !== args.devices.length && 'devices: each equipment code (device) once',
    ]);
    const connection: command.types.input.remote.ConnectionArgs = {
      host: args.ssh.host,
      port: args.ssh.port,
      user: args.ssh.user,
      privateKey: pulumi.secret(args.ssh.privateKey),
      ...(args.ssh.hostKey ? { hostKey: args.ssh.hostKey } : {}),
    };
    const run = (id: string, spec: Omit<command.remote.CommandArgs, 'connection'>, dependsOn: pulumi.Resource[] = []) =>
      new command.remote.Command(`${name}-${id}`, { connection, ...spec }, { parent: this, dependsOn });

    const prepare = run('prepare', { create: prepareScript(args.node) });
    const install = installPackage(name, this, args.package, connection, prepare, run);
    const mqttPort = args.mqtt.tls ? EDGE_CONTRACT.mqttTlsPort : EDGE_CONTRACT.mqttPort;
    this.brokerUrl = `${args.mqtt.tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${mqttPort}`;
    const configJson = `${JSON.stringify(gatewayConfig(args, args.cloudUrl, this.brokerUrl), null, 2)}\n`;
    const config = run('config', { create: writeFile(EDGE_CONTRACT.configFile), stdin: configJson, triggers: [sha256(configJson)] }, [prepare]);
    const key = run('key', { create: writeFile(EDGE_CONTRACT.keyFile), stdin: pulumi.secret(args.gatewayKey), logging: 'none' }, [prepare]);
    const conf = mosquittoConfig(args.mqtt.tls, '/etc/mosquitto/certs');
    const broker = run(
      'mosquitto',
      {
        create: `${ROOT}; command -v mosquitto >/dev/null || { $SUDO apt-get update -q && $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -q mosquitto; }; $SUDO install -m 0644 /dev/stdin /etc/mosquitto/conf.d/mes-edge.conf; $SUDO systemctl enable mosquitto; $SUDO systemctl restart mosquitto`,
        delete: `${ROOT}; $SUDO rm -f /etc/mosquitto/conf.d/mes-edge.conf; $SUDO systemctl restart mosquitto || true`,
        stdin: conf,
        triggers: [sha256(conf)],
      },
      [prepare],
    );
    const unit = systemdUnit();
    run(
      'unit',
      {
        create: `${ROOT}; $SUDO install -m 0644 /dev/stdin /etc/systemd/system/${this.unitName}; $SUDO systemctl daemon-reload; $SUDO systemctl enable ${this.unitName}; $SUDO systemctl restart ${this.unitName}; sleep 2; $SUDO systemctl is-active ${this.unitName}`,
        delete: `${ROOT}; $SUDO systemctl disable --now ${this.unitName} || true; $SUDO rm -f /etc/systemd/system/${this.unitName}; $SUDO systemctl daemon-reload`,
        stdin: unit,
        // Any change of package, configuration, key or unit restarts the gateway.
        triggers: [sha256(unit), install.id, config.id, key.id, broker.id],
      },
      [install, config, key, broker],
    );
    this.registerOutputs({ unitName: this.unitName, brokerUrl: this.brokerUrl });
  }

}

/** The mes package under /opt/mes/<id>, /opt/mes/current pointing at it, /usr/local/bin/mes its binary. */
function installPackage(
name: string,
parent: pulumi.Resource,
pkg: MesEdgeBoxArgs['package'],
connection: command.types.input.remote.ConnectionArgs,
prepare: pulumi.Resource,
run: (id: string, spec: Omit<command.remote.CommandArgs, 'connection'>, dependsOn?: pulumi.Resource[]) => command.remote.Command,
): command.remote.Command {
  const link = `$SUDO ln -sfn "$(ls -d /opt/mes/current/bin/mes /opt/mes/current/lib/node_modules/*/bin/run.js /opt/mes/current/cli/bin/run.js 2>/dev/null | head -n 1)" /usr/local/bin/mes; /usr/local/bin/mes --version`;
  if ('npm' in pkg) {
    const registry = pkg.registry ? ` --registry ${pkg.registry}` : '';
    return run('package', { create: `${ROOT}; $SUDO env PATH="/opt/node/bin:$PATH" npm install -g --prefix /opt/mes/${sha256(pkg.npm).slice(0, 12)}${registry} ${pkg.npm}; $SUDO ln -sfn /opt/mes/${sha256(pkg.npm).slice(0, 12)} /opt/mes/current; ${link}`, triggers: [pkg.npm] }, [prepare]);
  }
  const remote = `/tmp/${basename(pkg.tarball)}`;
  const copy = new command.remote.CopyToRemote(`${name}-bundle`, { connection, source: new pulumi.asset.FileAsset(pkg.tarball), remotePath: remote, triggers: [pkg.sha256] }, { parent, dependsOn: [prepare] });
  const dir = `/opt/mes/${pkg.sha256.slice(0, 12)}`;
  return run(
    'package',
    {
      create: `${ROOT}; echo "${pkg.sha256}  ${remote}" | sha256sum -c -; $SUDO mkdir -p ${dir}; $SUDO tar -xzf ${remote} -C ${dir} --strip-components=1; $SUDO ln -sfn ${dir} /opt/mes/current; rm -f ${remote}; ${link}`,
      triggers: [pkg.sha256],
    },
    [copy],
  );
}


/**
 * The mes-edge system user, /etc/mes-edge (0750) with keys/ (0700), /var/lib/mes-edge (0750) with the journal (0700),
 * all owned by mes-edge; Node.js ≥ 20 (the given tarball, else the distribution's), checked.
 */
function prepareScript(node: MesEdgeBoxArgs['node']): string {
  const installNode = node
    ? `if [ ! -x /opt/node/bin/node ]; then curl -fsSL -o /tmp/node.tar "${node.tarballUrl}"; echo "${node.sha256}  /tmp/node.tar" | sha256sum -c -; $SUDO mkdir -p /opt/node; $SUDO tar -xf /tmp/node.tar -C /opt/node --strip-components=1; rm -f /tmp/node.tar; fi; $SUDO ln -sfn /opt/node/bin/node /usr/local/bin/node; $SUDO ln -sfn /opt/node/bin/npm /usr/local/bin/npm`
    : 'command -v node >/dev/null || { $SUDO apt-get update -q && $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm; }';
  const u = EDGE_CONTRACT.user;
  return [
    ROOT,
    `id -u ${u} >/dev/null 2>&1 || $SUDO useradd --system --uid ${EDGE_CONTRACT.uid} --user-group --no-create-home --shell /usr/sbin/nologin ${u}`,
    `$SUDO install -d -m 0750 -o ${u} -g ${u} ${EDGE_CONTRACT.configDir}`,
    `$SUDO install -d -m 0700 -o ${u} -g ${u} ${EDGE_CONTRACT.keyDir}`,
    `$SUDO install -d -m 0750 -o ${u} -g ${u} ${EDGE_CONTRACT.dataDir}`,
    `$SUDO install -d -m 0700 -o ${u} -g ${u} ${EDGE_CONTRACT.journalDir}`,
    installNode,
    `major=$(PATH="/opt/node/bin:$PATH" node -p 'process.versions.node.split(".")[0]'); [ "$major" -ge 20 ] || { echo "Node.js $major found; mes needs Node.js 20 or newer: give node {tarballUrl, sha256} in the site's configuration" >&2; exit 1; }`,
  ].join('\n');
}

/** The gateway as a hardened service: its own user, read-only system, writable journal only. */
export function systemdUnit(): string {
  return `[Unit]
Description=mes edge gateway (store-and-forward to the MES)
After=network-online.target mosquitto.service
Wants=network-online.target

[Service]
Type=simple
User=${EDGE_CONTRACT.user}
Group=${EDGE_CONTRACT.user}
Environment=PATH=/opt/node/bin:/usr/local/bin:/usr/bin:/bin
ExecStart=/usr/local/bin/mes ${EDGE_CONTRACT.args.join(' ')}
Restart=always
RestartSec=5
TimeoutStopSec=30
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
PrivateDevices=true
ProtectKernelTunables=true
ProtectControlGroups=true
RestrictSUIDSGID=true
ReadWritePaths=/var/lib/mes-edge
CapabilityBoundingSet=

[Install]
WantedBy=multi-user.target
`;
}
