import { Flags } from '@oclif/core';
import { MesApiCommand } from '../../base-command.js';
import { shortDate, table } from '../../format.js';

export default class TenantList extends MesApiCommand<typeof TenantList> {
  static override summary = 'List all tenants (platform admin).';

  static override description = `Follows every page. With --json, prints an array of tenants: id, slug, name, plan, status, version, createdAt, updatedAt.

Needs the tenants:read permission of a platform admin.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Slugs only', command: "<%= config.bin %> <%= command.id %> --json | jq -r '.[].slug'" },
  ];

  static override flags = {
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run() {
    const tenants = [];
    for await (const t of this.client.tenants.iterate({ limit: this.flags['page-size'] })) tenants.push(t);
    if (tenants.length === 0) this.log('No tenants.');
    else {
      this.log(
        table(tenants, [
          { header: 'slug', get: (t) => t.slug },
          { header: 'name', get: (t) => t.name },
          { header: 'plan', get: (t) => t.plan },
          { header: 'status', get: (t) => t.status },
          { header: 'created', get: (t) => shortDate(t.createdAt) },
        ]),
      );
    }
    return tenants;
  }
}
