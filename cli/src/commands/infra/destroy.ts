import { InfraStackCommand, stackFlags } from '../../infra-command.js';

export default class InfraDestroy extends InfraStackCommand<typeof InfraDestroy> {
  static override summary = "Delete everything the stack created.";

  static override description = `Deletes the stack's resources through the Pulumi Automation API (the stack and its history stay; \`pulumi stack rm\` removes them). Deletion protection on the managed cluster and database must be lifted first; an edge box keeps its journal directory.

Needs the Pulumi CLI (\`pulumi\`) on PATH (exit 2 with how to install it when missing) and PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase secrets provider. State: a local file:// backend under --state-dir unless --backend names another. Pulumi's progress goes to stderr; --json prints the result object on stdout. Exit 0 done, 1 Pulumi failed, 2 usage.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --stack factory-dc',
    { description: 'Against a shared backend', command: '<%= config.bin %> <%= command.id %> --stack prod --backend s3://mes-pulumi-state' },
  ];

  static override flags = { ...stackFlags };

  protected readonly action = 'destroy' as const;
}
