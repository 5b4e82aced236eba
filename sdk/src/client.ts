import { MesError } from './errors.js';
import { HttpCore, type Method } from './http.js';
import { ROUTES, type RoutedOperation } from './routes.js';
import type {
  ApiKey, ApiKeyPage, AuditPage, AuditQuery, AuditRecord, BodyOf, ChainVerdict, CreateApiKeyInput, CreateTenantInput,
  CreateUserInput, CreatedApiKey, CreatedTenant, Diagnostics, Health, LoginInput, Me, MutationOptions, PageQuery, PathOf, PlanList,
  QueryOf, RequestOptions, RoleList, SuccessOf, Tenant, TenantPage, Token, UpdateTenantInput, UpdateUserInput, User, UserPage,
} from './types.js';
import { SDK_VERSION } from './version.js';

export interface MesClientOptions {
  /** Where the MES API is, e.g. http://127.0.0.1:8080. */
  baseUrl: string;
  /** An API key (mes_…). Give this or token, not both; neither is fine for login and health. */
  apiKey?: string;
  /** A login token from auth.login(). */
  token?: string;
  /** Per attempt, response body included. Default 30 000. */
  timeoutMs?: number;
  /** Extra attempts after a retryable failure (429, 503, lost connection). Default 2. */
  retries?: number;
  /** A fetch implementation; the global fetch by default. */
  fetch?: typeof fetch;
  userAgent?: string;
}

interface CallParams<K extends RoutedOperation> {
  path?: PathOf<K>;
  query?: QueryOf<K>;
  body?: BodyOf<K>;
}

type PagedOperation = 'listTenants' | 'listUsers' | 'listApiKeys' | 'listAuditRecords';
type ItemOf<K extends PagedOperation> = SuccessOf<K> extends { items: (infer I)[] } ? I : never;

/**
 * The MES API, one namespace per resource: `client.tenants.create({...})`. Every method is typed
 * from the server's OpenAPI document and throws MesError (or a subclass) on failure.
 */
export class MesClient {
  private readonly http: HttpCore;

  constructor(options: MesClientOptions) {
    if (options.apiKey && options.token) throw new TypeError('MesClient: pass apiKey or token, not both');
    const credential = options.apiKey ?? options.token;
    this.http = new HttpCore({
      baseUrl: normaliseBaseUrl(options.baseUrl),
      authorization: credential ? `Bearer ${credential}` : undefined,
      timeoutMs: integerAtLeast(options.timeoutMs ?? 30_000, 'timeoutMs', 1),
      retries: integerAtLeast(options.retries ?? 2, 'retries', 0),
      fetch: options.fetch ?? ((input, init) => fetch(input, init)),
      userAgent: options.userAgent ?? `mes-sdk/${SDK_VERSION} node/${globalThis.process?.version ?? 'unknown'}`,
    });
  }

  readonly auth = {
    /** Exchanges a password for a short-lived token; use it as `new MesClient({ baseUrl, token })`. */
    login: (body: LoginInput, options?: MutationOptions): Promise<Token> => this.call('login', { body }, options),
  };

  readonly me = {
    /** Who the credentials belong to and what they may do. */
    get: (options?: RequestOptions): Promise<Me> => this.call('getMe', {}, options),
  };

  readonly plans = {
    list: (options?: RequestOptions): Promise<PlanList> => this.call('listPlans', {}, options),
  };

  /** Platform admin only. */
  readonly tenants = {
    list: (query?: PageQuery, options?: RequestOptions): Promise<TenantPage> => this.call('listTenants', { query }, options),
    iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<Tenant> => this.pages('listTenants', query, options),
    /** Creates the tenant with its admin user and an API key, whose secret is only in this response. */
    create: (body: CreateTenantInput, options?: MutationOptions): Promise<CreatedTenant> => this.call('createTenant', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<Tenant> => this.call('getTenant', { path: { id } }, options),
    /** `version` is the one you read: a stale one fails with 409 instead of overwriting someone's change. */
    update: (id: string, body: UpdateTenantInput, options?: RequestOptions): Promise<Tenant> =>
      this.call('updateTenant', { path: { id }, body }, options),
  };

  readonly users = {
    list: (query?: PageQuery, options?: RequestOptions): Promise<UserPage> => this.call('listUsers', { query }, options),
    iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<User> => this.pages('listUsers', query, options),
    create: (body: CreateUserInput, options?: MutationOptions): Promise<User> => this.call('createUser', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<User> => this.call('getUser', { path: { id } }, options),
    update: (id: string, body: UpdateUserInput, options?: RequestOptions): Promise<User> => this.call('updateUser', { path: { id }, body }, options),
  };

  readonly roles = {
    list: (options?: RequestOptions): Promise<RoleList> => this.call('listRoles', {}, options),
  };

  readonly apiKeys = {
    list: (query?: PageQuery, options?: RequestOptions): Promise<ApiKeyPage> => this.call('listApiKeys', { query }, options),
    iterate: (query?: PageQuery, options?: RequestOptions): AsyncGenerator<ApiKey> => this.pages('listApiKeys', query, options),
    /** The secret (`key`) is in this response only. */
    create: (body: CreateApiKeyInput, options?: MutationOptions): Promise<CreatedApiKey> => this.call('createApiKey', { body }, options),
    get: (id: string, options?: RequestOptions): Promise<ApiKey> => this.call('getApiKey', { path: { id } }, options),
    revoke: (id: string, options?: MutationOptions): Promise<ApiKey> => this.call('revokeApiKey', { path: { id } }, options),
  };

  readonly audit = {
    list: (query?: AuditQuery, options?: RequestOptions): Promise<AuditPage> => this.call('listAuditRecords', { query }, options),
    iterate: (query?: AuditQuery, options?: RequestOptions): AsyncGenerator<AuditRecord> => this.pages('listAuditRecords', query, options),
    /** Recomputes the tenant's hash chain on the server. */
    verify: (options?: RequestOptions): Promise<ChainVerdict> => this.call('verifyAuditChain', {}, options),
  };

  readonly diagnostics = {
    get: (options?: RequestOptions): Promise<Diagnostics> => this.call('getDiagnostics', {}, options),
  };

  /** Health checks report on now, so they are never retried. */
  readonly health = {
    /** GET /healthz: the process answers. */
    live: (options?: RequestOptions): Promise<Health> => this.call('getHealth', {}, options, 0),
    /** GET /readyz: ready for traffic; a draining or database-less server fails with 503. */
    ready: (options?: RequestOptions): Promise<Health> => this.call('getReadiness', {}, options, 0),
  };

  /** Resolves an operation's route and fills in its path parameters. Async, so bad arguments reject like any failure. */
  private async call<K extends RoutedOperation>(op: K, params: CallParams<K>, options?: MutationOptions, retries?: number): Promise<SuccessOf<K>> {
    const [method, template] = ROUTES[op].split(' ') as [Method, string];
    const values = (params.path ?? {}) as Record<string, string>;
    const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
      // An empty id would silently address another route (/v1/tenants/ is the list).
      if (typeof values[name] !== 'string' || values[name] === '') throw new TypeError(`${op}: ${name} must be a non-empty string`);
      return encodeURIComponent(values[name]);
    });
    return this.http.request({ method, path, query: params.query as Record<string, unknown>, body: params.body, options, retries });
  }

  /** Every item of every page, fetching the next page only when the caller gets that far. */
  private async *pages<K extends PagedOperation>(op: K, query: QueryOf<K> | undefined, options?: RequestOptions): AsyncGenerator<ItemOf<K>> {
    let cursor = query?.cursor;
    do {
      const page: SuccessOf<PagedOperation> = await this.call<PagedOperation>(op, { query: { ...query, cursor } }, options);
      yield* page.items as ItemOf<K>[];
      // A server that hands back the cursor it was given would keep this loop going forever.
      if (page.nextCursor !== null && page.nextCursor === cursor) throw stuckCursor(op, cursor);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
}

function stuckCursor(op: string, cursor: string): MesError {
  return new MesError({
    message: `PAGINATION_STUCK: ${op} answered nextCursor ${cursor} for the page that cursor asked for; stopping instead of looping forever`,
    status: 200,
    code: 'PAGINATION_STUCK',
  });
}

function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`MesClient: baseUrl "${baseUrl}" is not a URL; expected something like http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`MesClient: baseUrl must be http or https, got ${url.protocol}`);
  return url.toString().replace(/\/+$/, '');
}

function integerAtLeast(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new TypeError(`MesClient: ${name} must be an integer >= ${min}, got ${value}`);
  return value;
}
