// A separate client process for test/ledger.test.ts: posts `count` single-line stock documents
// at once to one balance, alternating receipts of `in` and issues of `out`, and prints one JSON
// line with what the server answered. Loopback only; bounded by count.
// Usage: node ledger-poster.mjs <baseUrl> <apiKey> <materialId> <warehouseId> <count> <in> <out>
const [baseUrl, key, materialId, warehouseId, countText, inQty, outQty] = process.argv.slice(2);
const count = Math.min(Number(countText), 1000);
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(baseUrl)) throw new Error(`loopback only: ${baseUrl}`);

async function post(i) {
  const type = i % 2 === 0 ? 'other_in' : 'other_out';
  const res = await fetch(`${baseUrl}/v1/stock-documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type, post: true, lines: [{ materialId, warehouseId, quantity: type === 'other_in' ? inQty : outQty }] }),
  });
  const body = await res.json().catch(() => ({}));
  return { type, status: res.status, code: body.code ?? null };
}

const results = await Promise.all(Array.from({ length: count }, (_, i) => post(i)));
const posted = { other_in: 0, other_out: 0 };
const failures = {};
for (const r of results) {
  if (r.status === 201) posted[r.type]++;
  else failures[`${r.status} ${r.code}`] = (failures[`${r.status} ${r.code}`] ?? 0) + 1;
}
process.stdout.write(`${JSON.stringify({ posted, failures })}\n`);
