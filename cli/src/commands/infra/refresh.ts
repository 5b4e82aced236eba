import { InfraStackCommand, stackFlags } from '../../infra-command.js';

export default class InfraRefresh extends InfraStackCommand<typeof InfraRefresh> {
  static override summary = "Bring the stack's state in line with what really exists, and save its outputs.";

  static override description = `Reads every resource of the stack from the cloud and the cluster and records what changed outside Pulumi (drift). Changes no infrastructure.

Needs the Pulumi CLI (\`pulumi\`) on PATH (exit 2 with how to install it when missing) and PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase secrets provider. State: a local file:// backend under --state-dir unless --backend names another. Pulumi's progress goes to stderr; --json prints the result object on stdout. Exit 0 done, 1 Pulumi failed, 2 usage.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --stack factory-dc',
    { description: 'Against a shared backend', command: '<%= config.bin %> <%= command.id %> --stack prod --backend s3://mes-pulumi-state' },
  ];

  static override flags = { ...stackFlags };

  protected readonly action = 'refresh' as const;
}
