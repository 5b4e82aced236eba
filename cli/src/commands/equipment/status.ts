import { Args } from '@oclif/core';
import type { EquipmentStatus } from '@mes/sdk';
import { MesApiCommand } from '../../base-command.js';
import { table } from '../../format.js';
import { equipmentId } from '../../lookup.js';

export default class EquipmentStatusCommand extends MesApiCommand<typeof EquipmentStatusCommand> {
  static override summary = 'Show a machine\'s current state and newest readings against their running standards.';

  static override description = `Prints the state (run, idle, down, setup) and since when, the number of active alarms, and per point the newest VALUE with UNIT, QUALITY, TIME, the running standard MIN/MAX and DEVIATION (low or high when outside it). With --json, prints the status as the API returns it (equipmentId, code, name, state, stateSince, readings, outOfStandard, activeAlarms).

Needs the equipment:read permission.`;

  static override examples = ['<%= config.bin %> <%= command.id %> CNC-01', { description: 'Points outside their standard', command: "<%= config.bin %> <%= command.id %> CNC-01 --json | jq '.readings[] | select(.deviation)'" }];

  static override args = {
    equipment: Args.string({ description: 'Code or id of the machine.', required: true }),
  };

  public async run(): Promise<EquipmentStatus> {
    const s = await this.client.equipment.status(await equipmentId(this.client, this.args.equipment));
    this.log(`${s.code} ${s.name}: ${s.state ?? 'no state yet'}${s.stateSince ? ` since ${s.stateSince}` : ''}; ${s.activeAlarms} active alarm${s.activeAlarms === 1 ? '' : 's'}, ${s.outOfStandard} reading${s.outOfStandard === 1 ? '' : 's'} outside the standard`);
    if (s.readings.length) {
      this.log('');
      this.log(table(s.readings, [
        { header: 'point', get: (r) => r.point },
        { header: 'value', get: (r) => String(r.value) },
        { header: 'unit', get: (r) => r.unit ?? '' },
        { header: 'quality', get: (r) => r.quality },
        { header: 'time', get: (r) => r.ts },
        { header: 'min', get: (r) => (r.standard.min === null ? '' : String(r.standard.min)) },
        { header: 'max', get: (r) => (r.standard.max === null ? '' : String(r.standard.max)) },
        { header: 'deviation', get: (r) => r.deviation ?? '' },
      ]));
    }
    return s;
  }
}
