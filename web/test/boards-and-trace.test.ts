import type { ProductionOrderProgress, Trace } from '@mes/sdk';
import { describe, expect, it } from 'vitest';
import { orderRow } from '../src/modules/production/pages/WorkshopKanban';
import { treeOf } from '../src/modules/quality/pages/Trace';

const op = (seq: number, status: string, good: string, scrap: string) => ({ seq, name: `Op ${seq}`, status, good, scrap }) as unknown as ProductionOrderProgress['operations'][number];

describe('the workshop e-kanban row', () => {
  it('S1-5.4.4-l: good is the last operation\'s, scrap every operation\'s, progress of the planned quantity; the running and paused operations are on the floor', () => {
    const order = { quantity: '8', operations: [op(20, 'paused', '2', '0.5'), op(10, 'in_progress', '6', '1')] } as unknown as ProductionOrderProgress;
    const row = orderRow(order);
    expect(row.good).toBe('2');
    expect(row.scrap).toBe('1.5');
    expect(row.percent).toBe(25);
    expect(row.onFloor.map((o) => o.seq)).toEqual([10, 20]);
  });

  it('more reported than planned shows 100 %, an order without operations 0', () => {
    expect(orderRow({ quantity: '4', operations: [op(10, 'completed', '5', '0')] } as unknown as ProductionOrderProgress).percent).toBe(100);
    expect(orderRow({ quantity: '4', operations: [] } as unknown as ProductionOrderProgress)).toMatchObject({ good: '0', scrap: '0', percent: 0, onFloor: [] });
  });
});

describe('the traceability tree', () => {
  const graph = (direction: 'backward' | 'forward'): Trace => ({
    direction, depth: 10, root: 'batch:P:P1', truncated: false,
    nodes: [
      { id: 'batch:P:P1', type: 'batch', depth: 0, materialCode: 'P' },
      { id: 'batch:R:R1', type: 'batch', depth: 1, materialCode: 'R' },
      { id: 'supplier:S', type: 'supplier', depth: 1, partnerCode: 'S' },
      { id: 'customer:C', type: 'customer', depth: 0, partnerCode: 'C' },
    ],
    edges: [
      { type: 'consumed_into', from: 'batch:R:R1', to: 'batch:P:P1', quantity: '4' },
      { type: 'supplied', from: 'supplier:S', to: 'batch:R:R1', quantity: '10' },
      { type: 'delivered', from: 'batch:P:P1', to: 'customer:C', quantity: '3' },
    ],
  }) as unknown as Trace;
  const label = (n: Trace['nodes'][number]) => n.id;

  it('S1-5.4.5-d: backward the children are what an item was made of and its supplier; every key maps back to its node', () => {
    const { tree, ids } = treeOf(graph('backward'), label);
    expect(tree[0].title).toBe('batch:P:P1');
    expect(tree[0].children!.map((c) => c.title)).toEqual(['batch:R:R1']);
    expect(tree[0].children![0].children!.map((c) => c.title)).toEqual(['supplier:S']);
    expect(ids.get('0/0/0')).toBe('supplier:S');
  });

  it('S1-5.4.5-d: forward the children are what it went into and the customers; a cycle does not loop', () => {
    const g = graph('forward');
    g.edges.push({ type: 'consumed_into', from: 'customer:C', to: 'batch:P:P1', quantity: '1' } as never);
    const { tree } = treeOf(g, label);
    expect(tree[0].children!.map((c) => c.title)).toEqual(['customer:C']);
    expect(tree[0].children![0].children!.map((c) => c.title)).toEqual(['batch:P:P1']);
    expect(tree[0].children![0].children![0].children).toEqual([]);
  });
});
