// Writes oclif.manifest.json: with it, `mes <command>` imports only that command's file instead of
// every command (and so every workspace package) to learn their flags; start-up drops by about a
// second. What the `oclif manifest` command does, without its dependency tree. Run by the build.
import { writeFileSync } from 'node:fs';
import { Plugin } from '@oclif/core';

const root = new URL('..', import.meta.url).pathname;
const plugin = new Plugin({ isRoot: true, root, ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true });
await plugin.load();
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), `${JSON.stringify(plugin.manifest, null, 2)}\n`);
