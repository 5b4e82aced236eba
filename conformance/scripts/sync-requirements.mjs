#!/usr/bin/env node
// Rebuilds requirements.json from the requirement digest (../shared/REQUIREMENTS.md by default):
// every table row `| ID | text |`. The clause registry (src/registry.ts) is built on this file, and
// test/registry.test.ts fails when the digest has moved on without it.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseRequirements } from './requirements-lib.mjs';

const source = process.argv[2] ?? fileURLToPath(new URL('../../../shared/REQUIREMENTS.md', import.meta.url));
const out = fileURLToPath(new URL('../requirements.json', import.meta.url));
const items = parseRequirements(readFileSync(source, 'utf8'));
writeFileSync(out, `${JSON.stringify(items, null, 2)}\n`);
console.log(`wrote ${items.length} requirements from ${source} to ${out}`);
