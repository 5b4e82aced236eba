import type { Trace } from '@mes/sdk';

type Node = Trace['nodes'][number];
type Edge = Trace['edges'][number];

/** One line per node: the item and what the graph knows of it (how it was made, where it is). */
function describe(n: Node): string {
  if (n.type === 'supplier' || n.type === 'customer') return `${n.type} ${n.partnerCode} ${n.partnerName}`;
  const what = `${n.materialCode} ${n.serialNo !== null && n.serialNo !== undefined ? `serial ${n.serialNo}` : n.batchNo ? `batch ${n.batchNo}` : '(untracked)'}`;
  const made = (n.made ?? []).map((m) => `made by ${m.orderDocNo} (${m.receiptDocNo}${m.bomRevision ? `, BOM rev ${m.bomRevision}` : ''}${m.operators.length ? `, ${m.operators.join('/')}` : ''}${m.stationCodes.length ? ` at ${m.stationCodes.join('/')}` : ''}${m.equipmentCodes.length ? ` on ${m.equipmentCodes.join('/')}` : ''})`);
  const stock = (n.stock ?? []).map((s) => `${s.quantity} ${n.baseUnit} in ${s.warehouseCode}${s.binCode ? `/${s.binCode}` : ''}`);
  return [what, ...made, ...stock].join('; ');
}

function describeEdge(e: Edge): string {
  if (e.type === 'supplied') return `${e.quantity} on ${e.purchase!.purchaseOrderDocNo} ${e.purchase!.receiptDocNo}, accepted ${e.purchase!.accepted}, rejected ${e.purchase!.rejected}`;
  if (e.type === 'delivered') return `${e.quantity} on ${e.delivery!.outboundDocNo} (${e.delivery!.salesOrderDocNo})`;
  return `${e.quantity} in ${e.production!.orderDocNo}`;
}

/**
 * The graph as an indented tree from the root: backward, children are what a node was made of and
 * who supplied it (and customers it reached); forward, what it went into and who received it. A
 * node met again (a diamond or a cycle) is printed once more with "(see above)".
 */
export function traceTree(g: Trace): string {
  const nodes = new Map(g.nodes.map((n) => [n.id, n]));
  const children = new Map<string, { id: string; edge: Edge }[]>();
  const add = (parent: string, id: string, edge: Edge) => children.set(parent, [...(children.get(parent) ?? []), { id, edge }]);
  for (const e of g.edges) {
    if (e.type === 'consumed_into') g.direction === 'backward' ? add(e.to, e.from, e) : add(e.from, e.to, e);
    else if (e.type === 'supplied') add(e.to, e.from, e);
    else add(e.from, e.to, e);
  }
  const lines: string[] = [describe(nodes.get(g.root)!)];
  const seen = new Set([g.root]);
  const walk = (id: string, prefix: string) => {
    const kids = children.get(id) ?? [];
    kids.forEach((k, i) => {
      const last = i === kids.length - 1;
      const again = seen.has(k.id);
      seen.add(k.id);
      lines.push(`${prefix}${last ? '└─ ' : '├─ '}${describe(nodes.get(k.id)!)}  [${describeEdge(k.edge)}]${again ? ' (see above)' : ''}`);
      if (!again) walk(k.id, prefix + (last ? '   ' : '│  '));
    });
  };
  walk(g.root, '');
  if (g.truncated) lines.push(`… more beyond depth ${g.depth} (use --depth, at most 20)`);
  return lines.join('\n');
}
