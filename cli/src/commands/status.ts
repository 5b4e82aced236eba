import { MesError } from '@mes/sdk';
import { CommandFailure, MesApiCommand, failureFromMesError, mesErrorDetail } from '../base-command.js';

interface Check {
  name: string;
  component?: string;
  status: string;
  message: string;
  hint: string;
}

export interface StatusResult {
  url: string;
  reachable: boolean;
  version: string;
  uptimeSeconds: number;
  ready: boolean;
  /** Why the server is not ready (its problem code and detail). */
  notReady?: { code: string; detail: string };
  /** Who the credentials belong to; absent without an API key. */
  me?: { tenant: { id: string; slug: string; plan: string }; user: { id: string; username: string; platformAdmin: boolean }; via: string; keyId: string | null };
  diagnostics?: { status: string; checkedAt?: string; checks: Check[] };
  /** Parts that could not be shown, and why (no key, missing permission). */
  notes: string[];
}

export default class Status extends MesApiCommand<typeof Status> {
  static override summary = 'Show whether the MES answers and is ready, who you are, and its diagnostics.';

  static override description = `Calls /healthz (liveness and version), /readyz (readiness), and with an API key /v1/me (tenant and user) and /v1/diagnostics (host, runtime and database checks with repair hints; needs the diagnostics:read permission).

Exits 0 when the MES answers and is ready; exits 1 when it cannot be reached, is not ready (starting, shutting down, database unavailable) or rejects the API key. A diagnostics warning or failure is shown, with its hint, but does not change the exit code on its own.`;

  static override examples = [
    { description: 'The MES on the default URL, with the key from MES_API_KEY', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Another server', command: '<%= config.bin %> <%= command.id %> --url https://mes.example.com --api-key mes_…' },
    { description: 'For monitoring scripts', command: '<%= config.bin %> <%= command.id %> --json' },
  ];

  public async run(): Promise<StatusResult> {
    const live = await this.client.health.live();
    const result: StatusResult = {
      url: this.url,
      reachable: true,
      version: live.version,
      uptimeSeconds: live.uptimeSeconds,
      ready: false,
      notes: [],
    };

    try {
      await this.client.health.ready();
      result.ready = true;
    } catch (err) {
      if (!(err instanceof MesError)) throw err;
      result.notReady = { code: err.code, detail: mesErrorDetail(err) };
    }

    let authFailure: CommandFailure | undefined;
    if (!this.apiKey) {
      result.notes.push('no API key (--api-key or MES_API_KEY): tenant, user and diagnostics are not shown');
    } else {
      try {
        const me = await this.client.me.get();
        result.me = { tenant: me.tenant, user: me.user, via: me.via, keyId: me.keyId };
      } catch (err) {
        if (!(err instanceof MesError)) throw err;
        if (err.status === 401) authFailure = failureFromMesError(err, true);
        else result.notes.push(`who am I: ${err.code}: ${mesErrorDetail(err)}`);
      }
      if (!authFailure) {
        try {
          const d = await this.client.diagnostics.get();
          result.diagnostics = { status: d.status, checkedAt: d.checkedAt, checks: d.checks.map((c: Check) => ({ name: c.name, component: c.component, status: c.status, message: c.message, hint: c.hint })) };
        } catch (err) {
          if (!(err instanceof MesError)) throw err;
          result.notes.push(
            err.status === 403 ? 'diagnostics: this key lacks the diagnostics:read permission' : `diagnostics: ${err.code}: ${mesErrorDetail(err)}`,
          );
        }
      }
    }

    this.log(render(result));
    if (authFailure) {
      throw new CommandFailure(`the MES at ${this.url} rejected the API key: ${authFailure.message}`, {
        code: authFailure.code, traceId: authFailure.traceId, details: result,
      });
    }
    if (!result.ready) {
      throw new CommandFailure(`the MES at ${this.url} is not ready: ${result.notReady?.code}: ${result.notReady?.detail}`, {
        code: 'NOT_READY', details: result,
      });
    }
    return result;
  }
}


function render(r: StatusResult): string {
  const lines = [
    `MES at ${r.url}`,
    `  version:  ${r.version} (up ${formatUptime(r.uptimeSeconds)})`,
    `  ready:    ${r.ready ? 'yes' : `no (${r.notReady?.code}: ${r.notReady?.detail})`}`,
  ];
  if (r.me) {
    lines.push(`  tenant:   ${r.me.tenant.slug} (plan ${r.me.tenant.plan})`);
    lines.push(`  user:     ${r.me.user.username}${r.me.user.platformAdmin ? ' (platform admin)' : ''}, via ${r.me.via === 'api_key' ? 'API key' : 'token'}`);
  }
  if (r.diagnostics) {
    lines.push('', `Diagnostics: ${r.diagnostics.status}`);
    const width = Math.max(0, ...r.diagnostics.checks.map((c) => c.name.length));
    for (const c of r.diagnostics.checks) {
      lines.push(`  ${c.status.padEnd(4)}  ${c.name.padEnd(width)}  ${c.message}`);
      if (c.hint) lines.push(`  ${''.padEnd(4)}  ${''.padEnd(width)}  hint: ${c.hint}`);
    }
  }
  if (r.notes.length) lines.push('', ...r.notes.map((n) => `note: ${n}`));
  return lines.join('\n');
}

function formatUptime(s: number): string {
  if (s < 90) return `${s} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  if (s < 172_800) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} days`;
}
