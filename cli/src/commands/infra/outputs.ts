import { InfraStackCommand, stackFlags } from '../../infra-command.js';

export default class InfraOutputs extends InfraStackCommand<typeof InfraOutputs> {
  static override summary = "Print the stack's outputs and save them for mes conformance run --stack.";

  static override description = `Reads the stack's outputs (namespace, deployment, URL, database Secret, edge sites, the Secrets the stack expects) through the Automation API. The managed cluster's kubeconfig is written to <state-dir>/stacks/<stack>.kubeconfig (mode 0600), never printed.

Needs the Pulumi CLI (\`pulumi\`) on PATH (exit 2 with how to install it when missing) and PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase secrets provider. State: a local file:// backend under --state-dir unless --backend names another. Pulumi's progress goes to stderr; --json prints the result object on stdout. Exit 0 done, 1 Pulumi failed, 2 usage.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --stack factory-dc',
    { description: 'Against a shared backend', command: '<%= config.bin %> <%= command.id %> --stack prod --backend s3://mes-pulumi-state' },
  ];

  static override flags = { ...stackFlags };

  protected readonly action = 'outputs' as const;
}
