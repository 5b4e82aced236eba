import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FriendlyError } from '../app/errors';

/** The friendly message, the field errors no form field showed, and the trace id of a server failure. */
export function ErrorAlert({ error, unplaced }: { error: FriendlyError | null | undefined; unplaced?: FriendlyError['fields'] }) {
  const { t } = useTranslation();
  if (!error) return null;
  const rest = unplaced ?? error.fields;
  return (
    <Alert
      type="error"
      showIcon
      role="alert"
      data-testid="error-alert"
      data-code={error.code}
      style={{ marginBottom: 16 }}
      message={error.message}
      description={
        rest.length || error.traceId ? (
          <>
            {rest.length > 0 && (
              <ul style={{ margin: 0, paddingInlineStart: 20 }}>
                {rest.map((f) => (
                  <li key={f.field}>
                    <code>{f.field}</code>: {f.message}
                  </li>
                ))}
              </ul>
            )}
            {error.traceId && <div data-testid="trace-id">{t('errors.traceId', { id: error.traceId })}</div>}
          </>
        ) : undefined
      }
    />
  );
}
