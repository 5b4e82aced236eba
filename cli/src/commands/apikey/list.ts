import { Flags } from '@oclif/core';
import { MesApiCommand } from '../../base-command.js';
import { shortDate, table } from '../../format.js';

export default class ApikeyList extends MesApiCommand<typeof ApikeyList> {
  static override summary = "List the API keys of the caller's tenant (never their secrets).";

  static override description = `Follows every page. With --json, prints an array of keys: id, name, userId, username, permissions, expiresAt, revokedAt, createdAt.

Needs the apikeys:read permission.`;

  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];

  static override flags = {
    'page-size': Flags.integer({ summary: 'Items fetched per request while following the pages.', min: 1, max: 500, default: 500, hidden: true }),
  };

  public async run() {
    const keys = [];
    for await (const k of this.client.apiKeys.iterate({ limit: this.flags['page-size'] })) keys.push(k);
    const now = Date.now();
    if (keys.length === 0) this.log('No API keys.');
    else {
      this.log(
        table(keys, [
          { header: 'id', get: (k) => k.id },
          { header: 'name', get: (k) => k.name },
          { header: 'user', get: (k) => k.username },
          { header: 'status', get: (k) => (k.revokedAt ? 'revoked' : k.expiresAt && Date.parse(k.expiresAt) <= now ? 'expired' : 'active') },
          { header: 'expires', get: (k) => (k.expiresAt ? shortDate(k.expiresAt) : 'never') },
          { header: 'created', get: (k) => shortDate(k.createdAt) },
          { header: 'permissions', get: (k) => k.permissions.join(',') },
        ]),
      );
    }
    return keys;
  }
}
