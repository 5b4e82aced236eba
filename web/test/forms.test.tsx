import { MesError } from '@mes/sdk';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { FormDrawer } from '../src/components/FormDrawer';

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
