import { readFileSync } from 'node:fs';
import { verifyBundle } from '@mes/conformance';
import { Args, Flags } from '@oclif/core';
import { CommandFailure, MesCommand } from '../../base-command.js';

export default class ConformanceVerify extends MesCommand<typeof ConformanceVerify> {
  static override summary = "Check an evidence bundle's signature and every file's digest.";

  static override description = `Verifies the Ed25519 signature of manifest.json, then the SHA-256 of every file it lists, and that the bundle holds no file it does not list. Exits 0 when all hold; exits 1 naming each file that was changed, removed or added.

Without --public-key the signature is checked with the key the bundle carries (signer.pub.pem): that proves the bundle is intact, not who made it. Pass the signer's public key (or compare the printed fingerprint) to prove that too.`;

  static override examples = ['<%= config.bin %> <%= command.id %> 20260101T120000Z_mes_0a1b2c3d4e5f.tar.gz', '<%= config.bin %> <%= command.id %> bundle.tar.gz --public-key vendor.pub.pem'];

  static override args = { bundle: Args.string({ description: 'Path of the .tar.gz bundle', required: true }) };

  static override flags = { 'public-key': Flags.string({ summary: 'The signer\'s Ed25519 public key (SPKI PEM) to verify against.' }) };

  public async run() {
    const publicKeyPem = this.flags['public-key'] ? readFileSync(this.flags['public-key'], 'utf8') : undefined;
    let v;
    try {
      v = await verifyBundle(this.args.bundle, { publicKeyPem });
    } catch (err) {
      throw new CommandFailure((err as Error).message, { code: 'BUNDLE_UNREADABLE' });
    }
    if (!v.ok) throw new CommandFailure(`evidence bundle NOT verified:\n${v.problems.map((p) => `  - ${p}`).join('\n')}`, { code: 'BUNDLE_INVALID', details: v });
    this.log(`evidence bundle verified: signature valid (${v.keySource === 'bundled' ? 'bundled key' : 'given key'} ${v.publicKeyFingerprint}), ${v.files.checked} files match the manifest`);
    return v;
  }
}
