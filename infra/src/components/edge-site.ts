import { createHash } from 'node:crypto';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { isPinnedImage, type Resources } from '../config.js';
import { checkArgs, containerSecurity, denyByDefault, DNS_EGRESS, labels, podSecurity, selector } from './common.js';
import { EDGE_CONTRACT, gatewayConfig, mosquittoConfig, type Device } from './edge-contract.js';

export interface MesEdgeSiteArgs {
  namespace: pulumi.Input<string>;
  site: string;
  gatewayId: string;
  /** The MES the gateway forwards to. */
  cloudUrl: string;
  devices: Device[];
  /** The gateway image: the MES image (entrypoint `mes`). */
  image: string;
  /** Nodes labelled for this site; default { 'mes.dev/site': <site> }. */
  nodeSelector?: Record<string, string>;
  /** The Ed25519 private signing key (PEM); absent: the Secret mes-edge-gateway-key must exist. */
  gatewayKey?: pulumi.Input<string>;
  journal: { size: string; storageClass: string };
  mqtt: { image: string; tls: boolean; deviceCidrs: string[] };
  resources?: Resources;
}

type Meta = (objectName: string, component: string) => { name: string; namespace: pulumi.Input<string>; labels: Record<string, string> };

const GATEWAY = 'mes-edge-gateway';
const BROKER = 'mes-edge-mqtt';
const KEY_SECRET = 'mes-edge-gateway-key';
const TLS_SECRET = 'mes-edge-mqtt-tls';

/**
 * One edge site on Kubernetes: the gateway (one pod on the site's nodes, its store-and-forward
 * journal on a PersistentVolumeClaim, its device map in a ConfigMap, its signing key in a Secret)
 * and the site's MQTT broker (Mosquitto), each behind NetworkPolicies.
 */
export class MesEdgeSite extends pulumi.ComponentResource {
  readonly brokerUrl: string;
  readonly gatewayName = GATEWAY;
  readonly expectedSecrets: Array<{ name: string; keys: string[] }> = [];

  constructor(name: string, args: MesEdgeSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super('mes:infra:EdgeSite', name, {}, opts);
    checkArgs('MesEdgeSite', [
      !isPinnedImage(args.image) && `image "${args.image}" is not pinned`,
      !isPinnedImage(args.mqtt.image) && `mqtt.image "${args.mqtt.image}" is not pinned`,
      !args.journal.storageClass && 'journal.storageClass is required (an encrypted class)',
      !/^https?:\/\//.test(args.cloudUrl) && `cloudUrl "${args.cloudUrl}" is not an http(s) URL`,
      new Set(args.devices.map((d) => d.device)).size !== args.devices.length && 'devices: each equipment code (device) once',
    ]);
    const child = { parent: this };
    const ns = args.namespace;
    const siteLabel = { 'mes.dev/site': args.site };
    const nodeSelector = args.nodeSelector ?? siteLabel;
    const meta: Meta = (objectName, component) => ({ name: objectName, namespace: ns, labels: labels(component, siteLabel) });
    const mqttPort = args.mqtt.tls ? EDGE_CONTRACT.mqttTlsPort : EDGE_CONTRACT.mqttPort;
    this.brokerUrl = `${args.mqtt.tls ? 'mqtts' : 'mqtt'}://${BROKER}:${mqttPort}`;

    const configJson = JSON.stringify(gatewayConfig(args, args.cloudUrl, this.brokerUrl), null, 2);
    const config = new k8s.core.v1.ConfigMap(`${name}-gateway-config`, { metadata: meta(GATEWAY, 'edge-gateway'), data: { 'gateway.json': configJson } }, child);
    if (args.gatewayKey === undefined) this.expectedSecrets.push({ name: KEY_SECRET, keys: ['gateway.pem'] });
    else new k8s.core.v1.Secret(`${name}-gateway-key`, { metadata: meta(KEY_SECRET, 'edge-gateway'), type: 'Opaque', stringData: pulumi.secret({ 'gateway.pem': args.gatewayKey }) }, child);
    const journal = new k8s.core.v1.PersistentVolumeClaim(
      `${name}-journal`,
      { metadata: meta('mes-edge-journal', 'edge-gateway'), spec: { accessModes: ['ReadWriteOnce'], storageClassName: args.journal.storageClass, resources: { requests: { storage: args.journal.size } } } },
      child,
    );
    const account = new k8s.core.v1.ServiceAccount(`${name}-sa`, { metadata: meta('mes-edge', 'edge-gateway'), automountServiceAccountToken: false }, child);

    // One gateway per site: its journal is a ReadWriteOnce volume, so an upgrade stops the old pod
    // before the new one mounts it (Recreate), and nothing is ever written by two gateways.
    new k8s.apps.v1.Deployment(
      `${name}-gateway`,
      {
        metadata: meta(GATEWAY, 'edge-gateway'),
        spec: {
          replicas: 1,
          strategy: { type: 'Recreate' },
          selector: { matchLabels: selector('edge-gateway', siteLabel) },
          template: {
            metadata: {
              labels: selector('edge-gateway', siteLabel),
              // A changed device map restarts the gateway.
              annotations: { 'mes.dev/config-sha256': sha256(configJson), 'prometheus.io/scrape': 'true', 'prometheus.io/port': String(EDGE_CONTRACT.port) },
            },
            spec: {
              serviceAccountName: account.metadata.name,
              automountServiceAccountToken: false,
              nodeSelector,
              securityContext: podSecurity(EDGE_CONTRACT.uid),
              terminationGracePeriodSeconds: 30,
              containers: [
                {
                  name: 'gateway',
                  image: args.image,
                  args: [...EDGE_CONTRACT.args],
                  ports: [{ name: 'http', containerPort: EDGE_CONTRACT.port }],
                  env: [{ name: 'HOME', value: '/tmp' }],
                  startupProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 2, failureThreshold: 30 },
                  readinessProbe: { httpGet: { path: '/readyz', port: 'http' }, periodSeconds: 5, failureThreshold: 2 },
                  livenessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 10, failureThreshold: 3 },
                  resources: args.resources ?? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
                  securityContext: containerSecurity,
                  volumeMounts: [
                    { name: 'config', mountPath: EDGE_CONTRACT.configFile, subPath: 'gateway.json', readOnly: true },
                    { name: 'key', mountPath: EDGE_CONTRACT.keyDir, readOnly: true },
                    // The volume holds the whole data directory: the journal and what the gateway keeps beside it.
                    { name: 'data', mountPath: EDGE_CONTRACT.dataDir },
                    { name: 'tmp', mountPath: '/tmp' },
                  ],
                },
              ],
              volumes: [
                { name: 'config', configMap: { name: config.metadata.name } },
                { name: 'key', secret: { secretName: KEY_SECRET, defaultMode: 0o440, items: [{ key: 'gateway.pem', path: 'gateway.pem' }] } },
                { name: 'data', persistentVolumeClaim: { claimName: journal.metadata.name } },
                { name: 'tmp', emptyDir: { sizeLimit: '64Mi' } },
              ],
            },
          },
        },
      },
      child,
    );
    this.broker(name, args, meta, nodeSelector, mqttPort);
    this.networkPolicies(name, args, meta, mqttPort);
    this.registerOutputs({ brokerUrl: this.brokerUrl, gateway: GATEWAY });
  }

  private broker(name: string, args: MesEdgeSiteArgs, meta: Meta, nodeSelector: Record<string, string>, mqttPort: number): void {
    const child = { parent: this };
    const conf = mosquittoConfig(args.mqtt.tls, '/mosquitto/certs');
    const config = new k8s.core.v1.ConfigMap(`${name}-mqtt-config`, { metadata: meta(BROKER, 'edge-broker'), data: { 'mosquitto.conf': conf } }, child);
    if (args.mqtt.tls) this.expectedSecrets.push({ name: TLS_SECRET, keys: ['tls.crt', 'tls.key'] });
    const siteLabel = { 'mes.dev/site': args.site };
    new k8s.apps.v1.Deployment(
      `${name}-mqtt`,
      {
        metadata: meta(BROKER, 'edge-broker'),
        spec: {
          replicas: 1,
          selector: { matchLabels: selector('edge-broker', siteLabel) },
          template: {
            metadata: { labels: selector('edge-broker', siteLabel), annotations: { 'mes.dev/config-sha256': sha256(conf) } },
            spec: {
              automountServiceAccountToken: false,
              nodeSelector,
              securityContext: podSecurity(1883),
              containers: [
                {
                  name: 'mosquitto',
                  image: args.mqtt.image,
                  args: ['mosquitto', '-c', '/mosquitto/config/mosquitto.conf'],
                  ports: [{ name: 'mqtt', containerPort: mqttPort }],
                  readinessProbe: { tcpSocket: { port: 'mqtt' }, periodSeconds: 5 },
                  livenessProbe: { tcpSocket: { port: 'mqtt' }, periodSeconds: 10, failureThreshold: 3 },
                  resources: { requests: { cpu: '50m', memory: '32Mi' }, limits: { cpu: '500m', memory: '128Mi' } },
                  securityContext: containerSecurity,
                  volumeMounts: [
                    { name: 'config', mountPath: '/mosquitto/config', readOnly: true },
                    ...(args.mqtt.tls ? [{ name: 'tls', mountPath: '/mosquitto/certs', readOnly: true }] : []),
                  ],
                },
              ],
              volumes: [{ name: 'config', configMap: { name: config.metadata.name } }, ...(args.mqtt.tls ? [{ name: 'tls', secret: { secretName: TLS_SECRET } }] : [])],
            },
          },
        },
      },
      child,
    );
    // Devices on the site's networks reach the broker through a load balancer limited to them;
    // without device networks it serves the cluster only.
    const exposed = args.mqtt.deviceCidrs.length > 0;
    new k8s.core.v1.Service(
      `${name}-mqtt-service`,
      {
        metadata: meta(BROKER, 'edge-broker'),
        spec: {
          type: exposed ? 'LoadBalancer' : 'ClusterIP',
          ...(exposed ? { loadBalancerSourceRanges: args.mqtt.deviceCidrs, externalTrafficPolicy: 'Local' } : {}),
          selector: selector('edge-broker', siteLabel),
          ports: [{ name: 'mqtt', port: mqttPort, targetPort: 'mqtt' }],
        },
      },
      child,
    );
  }

  private networkPolicies(name: string, args: MesEdgeSiteArgs, meta: Meta, mqttPort: number): void {
    const child = { parent: this };
    const siteLabel = { 'mes.dev/site': args.site };
    const gateway = { podSelector: { matchLabels: selector('edge-gateway', siteLabel) } };
    denyByDefault(`${name}-default-deny`, meta('mes-edge-default-deny', 'network-policy'), { matchLabels: { 'app.kubernetes.io/name': 'mes', ...siteLabel } }, child);
    new k8s.networking.v1.NetworkPolicy(
      `${name}-gateway-policy`,
      {
        metadata: meta('mes-edge-gateway', 'network-policy'),
        spec: {
          podSelector: gateway.podSelector,
          policyTypes: ['Ingress', 'Egress'],
          // Probes and Prometheus on the gateway's port; out: the broker and the MES (HTTPS).
          ingress: [{ ports: [{ protocol: 'TCP', port: EDGE_CONTRACT.port }] }],
          egress: [
            { to: [{ podSelector: { matchLabels: selector('edge-broker', siteLabel) } }], ports: [{ protocol: 'TCP', port: mqttPort }] },
            { ports: [{ protocol: 'TCP', port: 443 }, { protocol: 'TCP', port: 80 }] },
            DNS_EGRESS,
          ],
        },
      },
      child,
    );
    new k8s.networking.v1.NetworkPolicy(
      `${name}-broker-policy`,
      {
        metadata: meta('mes-edge-mqtt', 'network-policy'),
        spec: {
          podSelector: { matchLabels: selector('edge-broker', siteLabel) },
          policyTypes: ['Ingress'],
          ingress: [{ from: [gateway, ...args.mqtt.deviceCidrs.map((cidr) => ({ ipBlock: { cidr } }))], ports: [{ protocol: 'TCP', port: mqttPort }] }],
        },
      },
      child,
    );
  }
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
