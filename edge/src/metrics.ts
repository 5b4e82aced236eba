import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The gateway's Prometheus metrics (own registry: several gateways may share a process in tests). */
export class EdgeMetrics {
  readonly registry = new Registry();
  readonly readings = this.counter('mes_edge_readings_total', 'Readings received from devices and accepted by the pipeline', ['device']);
  readonly badInput = this.counter('mes_edge_bad_input_total', 'Device input that could not be used, by device, point and reason', ['device', 'point', 'reason']);
  readonly journaled = this.counter('mes_edge_records_journaled_total', 'Records written to the local journal');
  readonly refused = this.counter('mes_edge_records_refused_total', 'Records refused by a full journal (whenFull: refuse-new)');
  readonly forwarded = this.counter('mes_edge_records_forwarded_total', 'Records the MES answered for, by result', ['result']);
  readonly batches = this.counter('mes_edge_batches_total', 'Upload attempts, by outcome (ok, replayed, refused, unreachable)', ['outcome']);
  readonly alarms = this.counter('mes_edge_local_alarms_total', 'Local alarms raised at the edge', ['device', 'point', 'alarm', 'grade']);
  readonly alarmActive = this.gauge('mes_edge_local_alarm_active', '1 while a local alarm is active', ['device', 'alarm']);
  readonly connected = this.gauge('mes_edge_device_connected', '1 while the driver is connected to the device', ['device', 'protocol']);
  readonly commands = this.counter('mes_edge_commands_total', 'Commands written to devices, by outcome', ['outcome']);
  readonly cloudUp = this.gauge('mes_edge_cloud_reachable', '1 when the last request to the MES got an answer');
  readonly heartbeats = this.counter('mes_edge_heartbeats_total', 'Heartbeats, by outcome', ['outcome']);
  readonly configVersion = this.gauge('mes_edge_config_version', 'Version of the device map in use (0: the local file)');

  constructor(journal: () => { backlogRecords: number; bytes: number; segments: number; droppedRecords: number; tornTailRepairs: number; corruptEntries: number }) {
    collectDefaultMetrics({ register: this.registry });
    const gauge = (name: string, help: string, pick: (s: ReturnType<typeof journal>) => number) =>
      new Gauge({ name, help, registers: [this.registry], collect() { this.set(pick(journal())); } });
    gauge('mes_edge_journal_backlog_records', 'Records journaled and not yet confirmed by the MES', (s) => s.backlogRecords);
    gauge('mes_edge_journal_bytes', 'Bytes in journal segments', (s) => s.bytes);
    gauge('mes_edge_journal_segments', 'Journal segment files', (s) => s.segments);
    gauge('mes_edge_journal_dropped_records', 'Unsent records deleted by a full journal (whenFull: drop-oldest)', (s) => s.droppedRecords);
    gauge('mes_edge_journal_torn_tail_repairs', 'Torn tails cut off at start-up after a crash', (s) => s.tornTailRepairs);
    gauge('mes_edge_journal_corrupt_entries', 'Journal entries whose checksum failed', (s) => s.corruptEntries);
  }

  private counter<L extends string>(name: string, help: string, labelNames: L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[] = []): Gauge<L> {
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }
}
