import type { FormInstance } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../app/errors';

/**
 * Submits a form through the API and shows every field error of the problem at once: next to its
 * field when the form has one by that path (`lines[2].quantity` → the third line's quantity), the
 * rest listed in the alert above the form.
 */
export function useSubmit<V, R>(form: FormInstance<V>, send: (values: V) => Promise<R>, onDone?: (result: R) => void) {
  const { t } = useTranslation();
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [unplaced, setUnplaced] = useState<FriendlyError['fields']>([]);

  async function submit(values: V): Promise<void> {
    setSubmitting(true);
    setError(null);
    // Clear the server's marks from the last attempt.
    form.setFields(form.getFieldsError().filter((f) => f.errors.length).map((f) => ({ name: f.name as never, errors: [] })));
    try {
      const result = await send(values);
      onDone?.(result);
    } catch (err) {
      const e = friendly(err, t);
      const registered = new Set(form.getFieldsError().map((f) => JSON.stringify(f.name)));
      const placed = e.fields.filter((f) => registered.has(JSON.stringify(f.name)));
      form.setFields(placed.map((f) => ({ name: f.name as never, errors: [f.message] })));
      setUnplaced(e.fields.filter((f) => !registered.has(JSON.stringify(f.name))));
      setError(e);
    } finally {
      setSubmitting(false);
    }
  }

  return { submit, submitting, error, unplaced, setError };
}
