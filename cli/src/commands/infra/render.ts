import { loadConfigFile, renderManifests, type RenderResult } from '@mes/infra';
import { Flags } from '@oclif/core';
import { CommandFailure, MesCommand } from '../../base-command.js';
import { infraFailure, infraFlags } from '../../infra-command.js';

export default class InfraRender extends MesCommand<typeof InfraRender> {
  static override summary = 'Write the Kubernetes manifests the stack would create, validated against the Kubernetes schemas and the policy pack.';

  static override description = `Runs the same component code as \`mes infra up\` under Pulumi's mocks (no Pulumi CLI, no cluster, no cloud account) and writes the Kubernetes objects it declares as YAML, one directory per namespace with a kustomization.yaml (\`kubectl apply -k <dir>\`, or commit them for a GitOps tool). Every object is validated against the Kubernetes OpenAPI schema, and the whole plan against the MES policy pack; with any error or violation nothing is written and the exit code is 1.

Not rendered: Secret values (the objects only reference Secrets; the command lists the ones to create), the cloud resources of the public target (managed cluster, database, KMS keys: \`mes infra up\` makes them), and edge boxes installed over SSH.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --config infra/examples/private.json --out deploy/kubernetes',
    { description: 'The hybrid target, as JSON', command: '<%= config.bin %> <%= command.id %> --config infra/examples/hybrid.json --out manifests --json' },
  ];

  static override flags = {
    config: Flags.string({ summary: 'Stack configuration file (JSON, docs/infra.md).', required: true }),
    target: infraFlags.target,
    out: Flags.string({ summary: 'Directory to write into (its <namespace>/ and cluster/ subdirectories are replaced).', required: true }),
  };

  public async run(): Promise<RenderResult> {
    let result: RenderResult;
    try {
      const { config } = loadConfigFile(this.flags.config, this.flags.target as 'public' | 'private' | 'hybrid' | undefined);
      result = await renderManifests(config, { outDir: this.flags.out });
    } catch (err) {
      throw infraFailure(err as Error) ?? err;
    }
    if (!result.ok) {
      const lines = [...result.schema.errors.map((e) => `schema: ${e.object}: ${e.message}`), ...result.violations.map((v) => `policy ${v.policy}: ${v.message}`)];
      throw new CommandFailure(`the ${result.target} plan is not valid; nothing was written:\n${lines.map((l) => `  - ${l}`).join('\n')}`, { code: 'RENDER_INVALID', details: result });
    }
    if (!this.jsonEnabled()) this.log(report(result, this.flags.out));
    return result;
  }
}

function report(r: RenderResult, out: string): string {
  const lines = [`${r.target} target (${r.components.join(', ')}): ${r.objects} objects in ${out}/`];
  for (const f of r.files) lines.push(`  ${f.path}`);
  lines.push(`schema: ${r.schema.validated} objects valid${r.schema.unchecked.length ? `; no schema bundled for ${r.schema.unchecked.join(', ')} (checked by the policy pack only)` : ''}`);
  lines.push('policy pack: no violations');
  if (r.expectedSecrets.length) {
    lines.push('Secrets to create before applying (their values are never rendered):');
    for (const s of r.expectedSecrets) {
      const tls = s.keys.join() === 'tls.crt,tls.key';
      lines.push(`  kubectl -n ${s.namespace} create secret ${tls ? `tls ${s.name} --cert=<file> --key=<file>` : `generic ${s.name} ${s.keys.map((k) => `--from-file=${k}=<file>`).join(' ')}`}`);
    }
  }
  if (r.cloudResources.length) lines.push(`cloud resources not rendered (mes infra up creates them): ${r.cloudResources.map((c) => c.type.split(':').pop()).join(', ')}`);
  if (r.edgeBoxes.length) lines.push(`edge boxes installed over SSH by mes infra up, not rendered: ${r.edgeBoxes.join(', ')}`);
  return lines.join('\n');
}
