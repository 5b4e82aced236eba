import { Flags } from '@oclif/core';
import { MesApiCommand } from '../../base-command.js';
import { parseDuration, shortDate } from '../../format.js';

export default class ApikeyCreate extends MesApiCommand<typeof ApikeyCreate> {
  static override summary = 'Issue an API key; its secret is printed once.';

  static override description = `The key belongs to the caller, or with --user-id to another user of the caller's tenant. Its permissions (--permission, repeatable) narrow what it may do: a key never does more than its user. Without --permission it has all of its user's permissions.

Permissions look like users:read, a module wildcard such as sales:*, or *.

The secret is printed once: store it now, it cannot be shown again. Needs the apikeys:write permission.`;

  static override examples = [
    { description: 'A read-only key for a reporting job, valid for 30 days', command: '<%= config.bin %> <%= command.id %> --name reporting --permission users:read --permission audit:read --expires-in 30d' },
    { description: 'A key for another user, as JSON', command: '<%= config.bin %> <%= command.id %> --name line-7 --user-id 0b3c…  --json' },
  ];

  static override flags = {
    name: Flags.string({ summary: 'What the key is for (shown in lists and the audit trail).', required: true }),
    permission: Flags.string({ summary: 'A permission the key gets (repeatable). Default: all of its user\'s permissions.', multiple: true }),
    'expires-in': Flags.string({
      summary: 'Lifetime such as 90m, 12h, 30d or 2w. Default: no expiry.',
      parse: async (input) => {
        parseDuration(input);
        return input;
      },
    }),
    'user-id': Flags.string({ summary: 'Id of the user the key belongs to. Default: the caller.' }),
  };

  public async run() {
    const { flags } = this;
    const expiresAt = flags['expires-in'] ? new Date(Date.now() + parseDuration(flags['expires-in'])).toISOString() : undefined;
    const created = await this.client.apiKeys.create({
      name: flags.name,
      ...(flags.permission?.length ? { permissions: flags.permission } : {}),
      ...(expiresAt ? { expiresAt } : {}),
      ...(flags['user-id'] ? { userId: flags['user-id'] } : {}),
    });
    const k = created.apiKey;
    this.log(
      [
        `Created API key "${k.name}" (id ${k.id}) for user ${k.username}`,
        `  permissions: ${k.permissions.join(', ')}`,
        `  expires:     ${k.expiresAt ? shortDate(k.expiresAt) : 'never'}`,
        '',
        'API key (shown once: store it now, it cannot be shown again):',
        '',
        `  ${created.key}`,
      ].join('\n'),
    );
    return created;
  }
}
