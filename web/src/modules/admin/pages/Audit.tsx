import type { AuditRecord } from '@mes/sdk';
import { Alert, Button, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';

export default function Audit() {
  const { t } = useTranslation('admin');
  const { client } = useSession();
  const [verdict, setVerdict] = useState<{ ok: boolean; text: string } | null>(null);
  const [error, setError] = useState<FriendlyError | null>(null);
  async function verify() {
    setError(null);
    try {
      const v = await client.audit.verify();
      setVerdict(v.intact ? { ok: true, text: t('audit.intact', { checked: v.checked }) } : { ok: false, text: t('audit.broken', { seq: v.firstBad?.seq, problem: v.firstBad?.problem }) });
    } catch (err) {
      setError(friendly(err, t));
    }
  }
  return (
    <Page title={t('audit.title')} help={t('audit.help')} extra={<Button type="primary" onClick={() => void verify()} data-testid="audit-verify">{t('audit.verify')}</Button>}>
      <ErrorAlert error={error} />
      {verdict && <Alert type={verdict.ok ? 'success' : 'error'} showIcon message={verdict.text} style={{ marginBottom: 16 }} data-testid="audit-verdict" />}
      <ServerTable<AuditRecord>
        rowKey="seq"
        load={(q) => client.audit.list(q)}
        filters={[
          { name: 'actor', label: t('audit.actor') },
          { name: 'action', label: t('audit.action') },
          { name: 'outcome', label: t('audit.outcome'), kind: 'select', options: ['success', 'rejected', 'denied', 'error'].map((o) => ({ value: o, label: o })) },
        ]}
        columns={[
          { title: t('audit.seq'), dataIndex: 'seq' },
          { title: t('audit.time'), dataIndex: 'occurredAt', render: (v: string) => new Date(v).toLocaleString() },
          { title: t('audit.actor'), dataIndex: 'actorId' },
          { title: t('audit.action'), dataIndex: 'action' },
          { title: t('audit.resource'), dataIndex: 'resource' },
          { title: t('audit.outcome'), dataIndex: 'outcome', render: (o: string) => <Tag color={o === 'success' ? 'green' : 'red'}>{o}</Tag> },
          { title: t('audit.status'), dataIndex: 'statusCode' },
        ]}
      />
    </Page>
  );
}
