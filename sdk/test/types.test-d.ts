/**
 * Compile-time tests (vitest typecheck): the client's signatures are the generated OpenAPI types,
 * so a server schema change that breaks callers shows up as a type error here.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { components } from '../src/generated/openapi.js';
import { MesClient, type CreateUserInput, type MesError, type Tenant } from '../src/index.js';

type Schemas = components['schemas'];
const client = new MesClient({ baseUrl: 'http://127.0.0.1:8080' });

describe('MesClient types', () => {
  it('S1-5.3.5-a methods return the named component schemas', () => {
    expectTypeOf(client.tenants.create).returns.resolves.toEqualTypeOf<Schemas['CreatedTenant']>();
    expectTypeOf(client.tenants.get).returns.resolves.toEqualTypeOf<Schemas['Tenant']>();
    expectTypeOf(client.tenants.list).returns.resolves.toEqualTypeOf<Schemas['TenantPage']>();
    expectTypeOf(client.users.update).returns.resolves.toEqualTypeOf<Schemas['User']>();
    expectTypeOf(client.apiKeys.create).returns.resolves.toEqualTypeOf<Schemas['CreatedApiKey']>();
    expectTypeOf(client.apiKeys.revoke).returns.resolves.toEqualTypeOf<Schemas['ApiKey']>();
    expectTypeOf(client.audit.verify).returns.resolves.toEqualTypeOf<Schemas['ChainVerdict']>();
    expectTypeOf(client.auth.login).returns.resolves.toEqualTypeOf<Schemas['Token']>();
    expectTypeOf(client.me.get).returns.resolves.toEqualTypeOf<Schemas['Me']>();
    expectTypeOf(client.diagnostics.get).returns.resolves.toEqualTypeOf<Schemas['Diagnostics']>();
    expectTypeOf(client.tenants.iterate).returns.toEqualTypeOf<AsyncGenerator<Tenant>>();
  });

  it('S1-5.3.5-a request bodies and queries are the spec\'s', () => {
    expectTypeOf<CreateUserInput>().toHaveProperty('username').toEqualTypeOf<string>();
    // A property with a server default (roles) is optional; a required one is not.
    expectTypeOf<{ username: string; displayName: string }>().toExtend<CreateUserInput>();
    expectTypeOf<{ username: string }>().not.toExtend<CreateUserInput>();
    // @ts-expect-error: version is required for an update (optimistic concurrency)
    void client.users.update('id', { displayName: 'x' });
    // @ts-expect-error: status is 'active' | 'suspended'
    void client.tenants.update('id', { version: 1, status: 'deleted' });
    // @ts-expect-error: audit outcome is an enum
    void client.audit.list({ outcome: 'maybe' });
    // @ts-expect-error: PATCH takes no idempotencyKey: the server would ignore it
    void client.users.update('id', { version: 1 }, { idempotencyKey: 'k' });
  });

  it('S1-8.2 MesError exposes the problem fields typed', () => {
    expectTypeOf<MesError['fields']>().toEqualTypeOf<Schemas['FieldError'][]>();
    expectTypeOf<MesError['code']>().toEqualTypeOf<string>();
    expectTypeOf<MesError['problem']>().toEqualTypeOf<Schemas['Problem'] | undefined>();
  });
});
