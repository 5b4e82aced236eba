import { Args } from '@oclif/core';
import { MesApiCommand } from '../../base-command.js';
import { shortDate } from '../../format.js';

export default class ApikeyRevoke extends MesApiCommand<typeof ApikeyRevoke> {
  static override summary = 'Revoke an API key at once.';

  static override description = `Requests with the key are refused (401) from now on. Revoking cannot be undone; issue a new key instead.

Needs the apikeys:write permission. Find the id with \`mes apikey list\`.`;

  static override examples = ['<%= config.bin %> <%= command.id %> 5f0c7a8e-0c57-4a43-9d43-2f4b1f0d6a2e'];

  static override args = {
    id: Args.string({ description: 'Id of the API key.', required: true }),
  };

  public async run() {
    const key = await this.client.apiKeys.revoke(this.args.id);
    this.log(`Revoked API key "${key.name}" (id ${key.id}) of user ${key.username} at ${shortDate(key.revokedAt)}.`);
    return key;
  }
}
