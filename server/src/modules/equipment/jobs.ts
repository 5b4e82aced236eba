/** The equipment module's housekeeping jobs: telemetry rollups with retention every minute. */
import type { AppContext } from '../../app.js';
import type { HousekeepingJob } from '../../platform/housekeeping.js';
import { telemetryHousekeeping } from './rollups.js';

export function equipmentJobs({ db, config }: Pick<AppContext, 'db' | 'config'>): HousekeepingJob[] {
  return [
    {
      name: 'telemetry rollups and retention', everyMs: 60_000,
      run: async () => {
        const r = await telemetryHousekeeping(db, config.telemetryRetentionDays);
        return r.readings || r.dropped.length ? r : undefined;
      },
    },
  ];
}
