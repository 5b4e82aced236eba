import { Button, Divider, Drawer, Form, Space } from 'antd';
import dayjs from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from './ErrorAlert';
import { Field, type FieldSpec } from './Fields';
import { LinesField } from './LinesField';
import { useSubmit } from './useSubmit';

/** Dates as the API wants them (YYYY-MM-DD); empty strings left out. */
export function toBody(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined || v === '' || v === null) continue;
    if (dayjs.isDayjs(v)) out[k] = v.format('YYYY-MM-DD');
    else if (Array.isArray(v)) out[k] = v.map((x) => (x && typeof x === 'object' && !dayjs.isDayjs(x) ? toBody(x as Record<string, unknown>) : x));
    else out[k] = v;
  }
  return out;
}

interface Props<R> {
  /** The button that opens the drawer. */
  label: string;
  title: string;
  fields: FieldSpec[];
  /** Document lines (orders, stock documents): a table of line fields. */
  lines?: FieldSpec[];
  /** The body's name of the lines (default `lines`). */
  linesName?: string;
  /** Further lists of the body the form may leave empty (a machine's alarm rules), each under its heading. */
  moreLines?: { name: string; title: string; addLabel: string; fields: FieldSpec[] }[];
  send(body: Record<string, unknown>): Promise<R>;
  onDone(result: R): void;
  testId: string;
  extra?: ReactNode;
  disabled?: boolean;
}

/**
 * "New …": a drawer with the form. On submit the body goes to the API as entered; a refusal puts
 * every field error next to its field (lines included) and the rest above the form.
 */
export function FormDrawer<R>({ label, title, fields, lines, linesName, moreLines = [], send, onDone, testId, extra, disabled }: Props<R>) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const { submit, submitting, error, unplaced, setError } = useSubmit(form, (v: Record<string, unknown>) => send(toBody(v)), (r) => {
    setOpen(false);
    form.resetFields();
    onDone(r);
  });
  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} data-testid={`${testId}-open`} disabled={disabled}>
        {label}
      </Button>
      <Drawer
        title={title}
        open={open}
        width={lines ? 960 : 520}
        onClose={() => {
          setOpen(false);
          setError(null);
        }}
        destroyOnHidden
        extra={
          <Space>
            <Button onClick={() => setOpen(false)}>{t('actions.cancel')}</Button>
            <Button type="primary" loading={submitting} onClick={() => form.submit()} data-testid={`${testId}-submit`}>
              {t('actions.save')}
            </Button>
          </Space>
        }
      >
        <ErrorAlert error={error} unplaced={unplaced} />
        {extra}
        <Form form={form} layout="vertical" onFinish={submit} data-testid={`${testId}-form`}>
          {fields.map((f) => (
            <Field key={f.name} spec={f} />
          ))}
          {lines && <LinesField fields={lines} name={linesName} />}
          {moreLines.map((l) => (
            <div key={l.name}>
              <Divider titlePlacement="start">{l.title}</Divider>
              <LinesField fields={l.fields} name={l.name} optional addLabel={l.addLabel} />
            </div>
          ))}
        </Form>
      </Drawer>
    </>
  );
}
