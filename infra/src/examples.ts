import { readFileSync } from 'node:fs';
import { validateInfraConfig, type InfraConfig, type Target } from './config.js';

/** The reference stack configuration of a target (infra/examples/<target>.json), validated. */
export function exampleConfig(target: Target, overrides: Record<string, unknown> = {}): InfraConfig {
  const raw = JSON.parse(readFileSync(new URL(`../examples/${target}.json`, import.meta.url), 'utf8')) as Record<string, unknown>;
  return validateInfraConfig({ ...raw, ...overrides });
}
