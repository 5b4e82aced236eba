import { Flags } from '@oclif/core';
import type { EquipmentAlarm } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';
import { equipmentId } from '../../lookup.js';

export default class EquipmentAlarms extends MesApiCommand<typeof EquipmentAlarms> {
  static override summary = 'List equipment alarms, newest first.';

  static override description = `Follows the pages up to --max alarms. Status is open, acknowledged or cleared. With --json, prints an array of alarms as the API returns them (id, equipmentId, equipmentCode, code, point, kind, grade, status, raisedAt, raisedValue, acknowledgedAt, acknowledgedBy, note, clearedAt, clearedValue, createdAt).

Needs the equipment:read permission.`;

  static override examples = [
    { description: 'What is still active on the shop floor', command: '<%= config.bin %> <%= command.id %> --active' },
    { description: 'Critical alarms of one machine', command: '<%= config.bin %> <%= command.id %> --equipment CNC-01 --grade critical' },
  ];

  static override flags = {
    equipment: Flags.string({ summary: 'Only alarms of this machine (code or id).' }),
    active: Flags.boolean({ summary: 'Only alarms not yet cleared.', allowNo: true }),
    grade: Flags.string({ summary: 'Only alarms of this grade.', options: ['critical', 'major', 'minor', 'warning'] }),
    max: Flags.integer({ summary: 'At most this many alarms.', min: 1, default: 1000 }),
  };

  public async run(): Promise<EquipmentAlarm[]> {
    const id = this.flags.equipment ? await equipmentId(this.client, this.flags.equipment) : undefined;
    const alarms: EquipmentAlarm[] = [];
    for await (const a of this.client.equipment.alarms.iterate({ limit: 500, equipmentId: id, active: this.flags.active, grade: this.flags.grade as EquipmentAlarm['grade'] | undefined })) {
      alarms.push(a);
      if (alarms.length >= this.flags.max) break;
    }
    if (alarms.length === 0) this.log('No alarms.');
    else {
      this.log(table(alarms, [
        { header: 'raised', get: (a) => a.raisedAt },
        { header: 'equipment', get: (a) => a.equipmentCode },
        { header: 'alarm', get: (a) => a.code },
        { header: 'grade', get: (a) => a.grade },
        { header: 'point', get: (a) => a.point },
        { header: 'value', get: (a) => String(a.raisedValue) },
        { header: 'status', get: (a) => a.status },
        { header: 'cleared', get: (a) => a.clearedAt ?? '' },
      ]));
    }
    return alarms;
  }
}
