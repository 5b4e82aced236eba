import { Args, Flags } from '@oclif/core';
import { MesApiCommand } from '../../base-command.js';

export default class TenantCreate extends MesApiCommand<typeof TenantCreate> {
  static override summary = 'Create a tenant with its admin user and admin API key (platform admin).';

  static override description = `Creates the tenant, its built-in roles, an admin user ("admin") and an API key for that admin. The key is printed once: store it now, it cannot be shown again.

Needs a platform admin key (the one \`mes up\` printed on its first start) with the tenants:write permission.`;

  static override examples = [
    { description: 'A tenant on the default plan', command: '<%= config.bin %> <%= command.id %> acme --name "Acme Manufacturing"' },
    { description: 'On a given plan, as JSON', command: '<%= config.bin %> <%= command.id %> acme --plan unlimited --json' },
  ];

  static override args = {
    slug: Args.string({ description: 'Short unique name: lower-case letters, digits and dashes, starting with a letter.', required: true }),
  };

  static override flags = {
    name: Flags.string({ summary: 'Display name. Default: the slug.' }),
    plan: Flags.string({ summary: 'Plan code (see GET /v1/plans). Default: the server default plan.' }),
  };

  public async run() {
    const created = await this.client.tenants.create({
      slug: this.args.slug,
      name: this.flags.name ?? this.args.slug,
      ...(this.flags.plan ? { plan: this.flags.plan } : {}),
    });
    const { tenant, admin, apiKey } = created;
    this.log(
      [
        `Created tenant ${tenant.slug} (${tenant.name}), plan ${tenant.plan}, id ${tenant.id}`,
        `Admin user: ${admin.username} (id ${admin.id})`,
        '',
        'Admin API key for this tenant (shown once: store it now, it cannot be shown again):',
        '',
        `  ${apiKey.key}`,
      ].join('\n'),
    );
    return created;
  }
}
