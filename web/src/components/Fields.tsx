import { Checkbox, DatePicker, Form, Input, InputNumber, Select } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { RefSelect, type RefKind } from './RefSelect';

export interface FieldSpec {
  /** The API's field name; a name path inside a list (`['lines', 0, 'quantity']`) is built by LinesField. */
  name: string;
  label: string;
  kind?: 'text' | 'textarea' | 'password' | 'integer' | 'number' | 'bool' | 'select' | 'date' | 'quantity' | RefKind;
  required?: boolean;
  options?: { value: string; label: string }[];
  help?: string;
  multiple?: boolean;
  initial?: unknown;
}

const REFS = new Set(['material', 'warehouse', 'customer', 'supplier', 'unit']);

/** The input for one field; quantities are text (decimal strings, never floats). */
export function FieldInput({ spec, testId }: { spec: FieldSpec; testId: string }): ReactNode {
  const kind = spec.kind ?? 'text';
  if (REFS.has(kind)) return <RefSelect kind={kind as RefKind} testId={testId} aria-label={spec.label} />;
  switch (kind) {
    case 'textarea':
      return <Input.TextArea rows={3} data-testid={testId} />;
    case 'password':
      return <Input.Password autoComplete="new-password" data-testid={testId} />;
    case 'integer':
      return <InputNumber precision={0} style={{ width: '100%' }} data-testid={testId} />;
    case 'number':
      return <InputNumber style={{ width: '100%' }} data-testid={testId} />;
    case 'bool':
      return <Checkbox data-testid={testId} />;
    case 'select':
      return <Select options={spec.options} mode={spec.multiple ? 'multiple' : undefined} allowClear showSearch optionFilterProp="label" data-testid={testId} aria-label={spec.label} />;
    case 'date':
      return <DatePicker style={{ width: '100%' }} data-testid={testId} />;
    case 'quantity':
      return <Input inputMode="decimal" placeholder="0" data-testid={testId} />;
    default:
      return <Input data-testid={testId} />;
  }
}

/** One labelled field in a form, its name the API's, so the problem's field errors land on it. */
export function Field({ spec, prefix = [], testPrefix = '' }: { spec: FieldSpec; prefix?: (string | number)[]; testPrefix?: string }) {
  const { t } = useTranslation();
  const testId = `field-${testPrefix}${spec.name}`;
  return (
    <Form.Item
      name={[...prefix, spec.name]}
      label={spec.label}
      extra={spec.help}
      valuePropName={spec.kind === 'bool' ? 'checked' : 'value'}
      rules={spec.required ? [{ required: true, message: t('form.required', { label: spec.label }) }] : undefined}
      initialValue={spec.initial}
    >
      {FieldInput({ spec, testId })}
    </Form.Item>
  );
}
