import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { Field, type FieldSpec } from './Fields';

/**
 * The lines of a document: `lines[i].<field>`, exactly the API's names, so `lines[2].quantity`
 * errors land on line 3. Another list of the body (a machine's `points`) takes its own name. A
 * list the body may leave out (a machine's alarm rules) starts with no line (`optional`): a blank
 * line's required fields would stop the form.
 */
export function LinesField({ fields, name = 'lines', optional, addLabel }: { fields: FieldSpec[]; name?: string; optional?: boolean; addLabel?: string }) {
  const { t } = useTranslation();
  return (
    <Form.List name={name} initialValue={optional ? [] : [{}]}>
      {(rows, { add, remove }) => (
        <>
          {rows.map((row, i) => (
            <Space key={row.key} align="start" wrap style={{ display: 'flex', borderTop: '1px dashed #eee', paddingTop: 8 }} data-testid={`line-${i}`}>
              <span style={{ lineHeight: '32px', marginTop: 30, minWidth: 24 }}>{i + 1}.</span>
              {fields.map((f) => (
                <Field key={f.name} spec={f} prefix={[row.name]} testPrefix={`${name}-${i}-`} />
              ))}
              <Button icon={<DeleteOutlined />} aria-label={t('actions.delete')} onClick={() => remove(row.name)} style={{ marginTop: 30 }} />
            </Space>
          ))}
          <Button icon={<PlusOutlined />} onClick={() => add({})} data-testid={name === 'lines' ? 'add-line' : `add-${name}`}>
            {addLabel ?? t('actions.create')}
          </Button>
        </>
      )}
    </Form.List>
  );
}
