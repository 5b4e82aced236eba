/**
 * The deployment suite (S1-6.1-a) on its own: it passes on the reference stack configurations
 * (run.test.ts runs it inside a platform-profile run) and fails, naming what is missing or
 * refused, on one that would not deploy the MES completely.
 */
import { exampleConfig } from '@mes/infra';
import { describe, expect, it } from 'vitest';
import { deploymentSuiteFor } from '../src/suites/deployment.js';
import { CheckFailure, type CheckContext, type SuiteContext } from '../src/types.js';

async function run(configs: Parameters<typeof deploymentSuiteFor>[0]) {
  const plan = await deploymentSuiteFor(configs).prepare({} as SuiteContext);
  const results: Record<string, { status: string; message?: string; assertions: number }> = {};
  for (const check of plan.checks) {
    let assertions = 0;
    const ctx = {
      assert(condition: unknown, message: string) {
        assertions++;
        if (!condition) throw new CheckFailure(message);
      },
      record() {},
      log() {},
    } as unknown as CheckContext;
    try {
      await check.run(ctx);
      results[check.id] = { status: 'passed', assertions };
    } catch (err) {
      results[check.id] = { status: 'failed', message: (err as Error).message, assertions };
    }
  }
  return results;
}

describe('deployment suite', () => {
  it('S1-6.1-a: a target whose plan lacks a piece fails, naming it; the other targets still pass', async () => {
    const noAutoscaling = exampleConfig('private');
    delete noAutoscaling.platform.autoscaling;
    const results = await run({ private: noAutoscaling });
    expect(results['deployment/private']).toMatchObject({ status: 'failed', message: 'private: the plan lacks an autoscaling/v2 HorizontalPodAutoscaler' });
    expect(results['deployment/components-alone']).toMatchObject({ status: 'failed', message: 'private platform alone: the plan lacks an autoscaling/v2 HorizontalPodAutoscaler' });
    for (const target of ['public', 'hybrid']) {
      expect(results[`deployment/${target}`].status, target).toBe('passed');
      expect(results[`deployment/${target}`].assertions).toBeGreaterThan(10);
    }
  });
});
