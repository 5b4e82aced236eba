import { InfraStackCommand, infraFlags, stackFlags } from '../../infra-command.js';

export default class InfraUp extends InfraStackCommand<typeof InfraUp> {
  static override summary = "Create or update the stack's infrastructure (the policy pack gates it) and save its outputs.";

  static override description = `Runs the stack's program through the Pulumi Automation API and applies it: the managed cluster and database (public), the CloudNativePG cluster (private, hybrid), the MES platform (migration Job first, then the rolling update), the edge sites. The policy pack runs before anything changes; a mandatory violation stops the update. The outputs (namespace, deployment, URL, kubeconfig) are saved for \`mes conformance run --stack\`.

Needs the Pulumi CLI (\`pulumi\`) on PATH (exit 2 with how to install it when missing) and PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase secrets provider. State: a local file:// backend under --state-dir unless --backend names another. Pulumi's progress goes to stderr; --json prints the result object on stdout. Exit 0 done, 1 Pulumi failed, 2 usage.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --stack factory-dc --config infra/examples/private.json',
    { description: 'Against a shared backend', command: '<%= config.bin %> <%= command.id %> --stack prod --backend s3://mes-pulumi-state' },
  ];

  static override flags = { ...stackFlags, ...infraFlags };

  protected readonly action = 'up' as const;
}
