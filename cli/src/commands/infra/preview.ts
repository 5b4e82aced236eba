import { InfraStackCommand, infraFlags, stackFlags } from '../../infra-command.js';

export default class InfraPreview extends InfraStackCommand<typeof InfraPreview> {
  static override summary = "Preview what the stack would create, change or delete (the policy pack checks the plan).";

  static override description = `Runs the stack's program (the @mes/infra components for its target) against the stack's state through the Pulumi Automation API, with the MES policy pack: a mandatory violation fails the preview. Changes nothing.

Needs the Pulumi CLI (\`pulumi\`) on PATH (exit 2 with how to install it when missing) and PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) for the passphrase secrets provider. State: a local file:// backend under --state-dir unless --backend names another. Pulumi's progress goes to stderr; --json prints the result object on stdout. Exit 0 done, 1 Pulumi failed, 2 usage.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --stack factory-dc --config infra/examples/private.json',
    { description: 'Against a shared backend', command: '<%= config.bin %> <%= command.id %> --stack prod --backend s3://mes-pulumi-state' },
  ];

  static override flags = { ...stackFlags, ...infraFlags };

  protected readonly action = 'preview' as const;
}
