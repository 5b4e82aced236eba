import { MesError } from '@mes/sdk';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FormDrawer } from '../src/components/FormDrawer';
import { machineBody } from '../src/modules/equipment/pages/machine-body';

afterEach(cleanup);

/** The form item (label, input, its error) around a field's input. */
const itemOf = (testId: string) => screen.getByTestId(testId).closest('.ant-form-item') as HTMLElement;

describe('a create form whose lines are not called lines (a standard\'s items, a machine\'s points)', () => {
  it('S1-5.1.3: every field error of the problem shows at once: a line\'s next to that line\'s field, the head\'s next to its field, the rest above the form; the body carries the list under its own name', async () => {
    let sent: Record<string, unknown> | undefined;
    render(
      <FormDrawer
        testId="new-standard"
        label="New standard"
        title="New standard"
        fields={[{ name: 'code', label: 'Code' }, { name: 'name', label: 'Name' }]}
        linesName="items"
        lines={[{ name: 'code', label: 'Item code' }, { name: 'lowerLimit', label: 'Lower limit', kind: 'quantity' }]}
        send={async (body) => {
          sent = body;
          throw new MesError({
            status: 422, code: 'VALIDATION_FAILED', message: 'invalid',
            fields: [
              { field: 'items[0].lowerLimit', code: 'PATTERN', message: 'not a decimal' },
              { field: 'code', code: 'CODE_TAKEN', message: 'the code is taken' },
              { field: 'materialCategory', code: 'REQUIRED_ONE_OF', message: 'a material or a category' },
            ],
          } as never);
        }}
        onDone={() => {}}
      />,
    );
    fireEvent.click(screen.getByTestId('new-standard-open'));
    await act(async () => {
      fireEvent.change(await screen.findByTestId('field-code'), { target: { value: 'STD-1' } });
      fireEvent.change(screen.getByTestId('field-items-0-code'), { target: { value: 'DIA' } });
      fireEvent.change(screen.getByTestId('field-items-0-lowerLimit'), { target: { value: '9,95' } });
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('new-standard-submit'));
    });
    await waitFor(() => expect(itemOf('field-items-0-lowerLimit').textContent).toContain('not a decimal'));
    expect(sent).toEqual({ code: 'STD-1', items: [{ code: 'DIA', lowerLimit: '9,95' }] });
    expect(itemOf('field-code').textContent).toContain('the code is taken');
    expect(itemOf('field-items-0-code').textContent).not.toContain('not a decimal');
    const alert = screen.getByTestId('error-alert');
    expect(alert.getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(alert.textContent).toContain('materialCategory');
    expect(alert.textContent).not.toContain('the code is taken');
  });
});

describe('a create form with a further list the body may leave out (a machine\'s alarm rules)', () => {
  it('S1-5.1.3: the list starts with no line; an added line\'s field error shows next to that field; the body carries both lists under their names', async () => {
    const sent: Record<string, unknown>[] = [];
    render(
      <FormDrawer
        testId="new-machine"
        label="New machine"
        title="New machine"
        fields={[{ name: 'code', label: 'Code' }]}
        linesName="points"
        lines={[{ name: 'point', label: 'Point' }]}
        moreLines={[{ name: 'alarmRules', title: 'Alarm rules', addLabel: 'Add an alarm rule', fields: [{ name: 'code', label: 'Alarm code', required: true }, { name: 'point', label: 'Point' }] }]}
        send={async (body) => {
          sent.push(body);
          throw new MesError({ status: 422, code: 'EQUIPMENT_INVALID', message: 'invalid', fields: [{ field: 'alarmRules[0].point', code: 'UNKNOWN_POINT', message: 'pressure is not a point of this equipment' }] } as never);
        }}
        onDone={() => {}}
      />,
    );
    fireEvent.click(screen.getByTestId('new-machine-open'));
    await act(async () => {
      fireEvent.change(await screen.findByTestId('field-code'), { target: { value: 'M1' } });
      fireEvent.change(screen.getByTestId('field-points-0-point'), { target: { value: 'temperature' } });
    });
    expect(screen.queryByTestId('field-alarmRules-0-code')).toBeNull();
    await act(async () => {
      fireEvent.click(screen.getByTestId('add-alarmRules'));
    });
    await act(async () => {
      fireEvent.change(screen.getByTestId('field-alarmRules-0-code'), { target: { value: 'HOT' } });
      fireEvent.change(screen.getByTestId('field-alarmRules-0-point'), { target: { value: 'pressure' } });
    });
    await act(async () => {
      fireEvent.click(screen.getByTestId('new-machine-submit'));
    });
    await waitFor(() => expect(itemOf('field-alarmRules-0-point').textContent).toContain('pressure is not a point of this equipment'));
    expect(sent).toEqual([{ code: 'M1', points: [{ point: 'temperature' }], alarmRules: [{ code: 'HOT', point: 'pressure' }] }]);
    expect(itemOf('field-points-0-point').textContent).not.toContain('pressure');
    expect(screen.queryByTestId('error-alert')?.textContent ?? '').not.toContain('pressure');
  });
});

describe('a new machine\'s body', () => {
  it('leaves out blank lines and sends a fault value as its point\'s type', () => {
    expect(machineBody({
      code: 'M1',
      points: [{ point: 'temp', type: 'number' }, {}, { point: 'run', type: 'boolean' }, { point: 'err', type: 'string' }],
      alarmRules: [
        {},
        { code: 'T', point: 'temp', kind: 'fault', value: '99.5', grade: 'minor' },
        { code: 'R', point: 'run', kind: 'fault', value: 'false', grade: 'major' },
        { code: 'E', point: 'err', kind: 'fault', value: '12', grade: 'warning' },
        { code: 'X', point: 'temp', kind: 'fault', value: 'hot', grade: 'warning' },
        { code: 'H', point: 'temp', kind: 'threshold', high: 80, grade: 'major' },
      ],
    })).toEqual({
      code: 'M1',
      points: [{ point: 'temp', type: 'number' }, { point: 'run', type: 'boolean' }, { point: 'err', type: 'string' }],
      alarmRules: [
        { code: 'T', point: 'temp', kind: 'fault', value: 99.5, grade: 'minor' },
        { code: 'R', point: 'run', kind: 'fault', value: false, grade: 'major' },
        { code: 'E', point: 'err', kind: 'fault', value: '12', grade: 'warning' },
        { code: 'X', point: 'temp', kind: 'fault', value: 'hot', grade: 'warning' },
        { code: 'H', point: 'temp', kind: 'threshold', high: 80, grade: 'major' },
      ],
    });
  });
});
