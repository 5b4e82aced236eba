/**
 * The quality module keeps to its own tables (DESIGN: only a module's repo files touch its
 * tables; other modules call its service): no quality file imports another module's repo, and no
 * quality statement names a production or plant table (the Pareto by operation and line asks
 * production's service where each inspection was).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const dir = new URL('../src/modules/quality/', import.meta.url);
const sources = readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => ({ file: f, text: readFileSync(new URL(f, dir), 'utf8') }));

describe('quality module boundaries', () => {
  it('no quality file imports another module\'s repo', () => {
    const foreign = sources.flatMap(({ file, text }) => [...text.matchAll(/from '\.\.\/([\w-]+)\/([\w-]*repo)\.js'/g)].map((m) => `${file}: ${m[1]}/${m[2]}`));
    expect(sources.length).toBeGreaterThan(10);
    expect(foreign).toEqual([]);
  });

  it('no quality statement reads a production or plant table', () => {
    const tables = /\b(production_orders|production_order_operations|routing_versions|routings|work_centres|production_lines|workshops|stations)\b/g;
    expect(sources.flatMap(({ file, text }) => [...text.matchAll(tables)].map((m) => `${file}: ${m[1]}`))).toEqual([]);
  });
});
