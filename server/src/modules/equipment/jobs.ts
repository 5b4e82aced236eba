/**
 * The equipment module's housekeeping jobs: telemetry rollups with retention every minute, stored
 * batch answers older than a week swept hourly, and alarm e-mail notification and escalation every
 * 30 s when a mail server is configured.
 */
import nodemailer from 'nodemailer';
import type { AppContext } from '../../app.js';
import type { HousekeepingJob } from '../../platform/housekeeping.js';
import { sweepBatchAnswers } from './batch-sweep.js';
import { notifyAlarms } from './notify.js';
import { telemetryHousekeeping } from './rollups.js';

export function equipmentJobs({ db, config }: Pick<AppContext, 'db' | 'config'>): HousekeepingJob[] {
  const jobs: HousekeepingJob[] = [
    {
      name: 'telemetry rollups and retention', everyMs: 60_000,
      run: async () => {
        const r = await telemetryHousekeeping(db, config.telemetryRetentionDays);
        return r.readings || r.dropped.length ? r : undefined;
      },
    },
    {
      name: 'stored batch answers', everyMs: 3_600_000,
      run: async () => {
        const removed = await sweepBatchAnswers(db);
        return removed ? { removed } : undefined;
      },
    },
  ];
  if (config.smtpUrl) {
    const mailer = { transport: nodemailer.createTransport(config.smtpUrl), from: config.mailFrom };
    jobs.push({
      name: 'alarm notification', everyMs: 30_000,
      run: async () => {
        const r = await notifyAlarms(db, mailer);
        return r.sent || r.escalated || r.failed ? { ...r } : undefined;
      },
    });
  }
  return jobs;
}
