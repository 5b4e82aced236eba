#!/usr/bin/env node
/** Writes sdk/openapi.json and sdk/src/generated/openapi.ts from the server's route schemas. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SPEC_FILE, TYPES_FILE, generateSpecAndTypes } from './generate-lib.mjs';

const { spec, types } = await generateSpecAndTypes();
await mkdir(path.dirname(TYPES_FILE), { recursive: true });
await writeFile(SPEC_FILE, spec);
await writeFile(TYPES_FILE, types);
console.log(`wrote ${path.relative(process.cwd(), SPEC_FILE)} and ${path.relative(process.cwd(), TYPES_FILE)}`);
