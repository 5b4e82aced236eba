import { describe, expect, it } from 'vitest';
import { MesProblem, problemBody } from './errors.js';

describe('problem bodies', () => {
  it('S1-8.2: an extra never overwrites an RFC 9457 member (status, type, code, detail, instance, traceId)', () => {
    const p = new MesProblem(409, 'ORDER_NOT_DRAFT', 'SO-1 is approved', {
      status: 'approved', type: 'x', code: 'Y', detail: 'z', instance: 'i', traceId: 't', headers: { a: 'b' }, documentStatus: 'approved',
    });
    expect(problemBody(p, '/v1/sales-orders/1/approve', 'abc')).toEqual({
      type: 'urn:mes:problem:order-not-draft',
      title: 'Conflict',
      status: 409,
      code: 'ORDER_NOT_DRAFT',
      detail: 'SO-1 is approved',
      instance: '/v1/sales-orders/1/approve',
      traceId: 'abc',
      documentStatus: 'approved',
    });
  });
});
