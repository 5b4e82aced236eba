import { Alert, Button, Card, Checkbox, Form, Input, Segmented, Space, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert';
import { useSubmit } from '../components/useSubmit';
import { LanguageSwitch } from './LanguageSwitch';
import { clientFor, saveSession } from './session';

interface Values {
  tenant: string;
  username?: string;
  password?: string;
  apiKey?: string;
  remember?: boolean;
}

/** Only paths inside the console: a `next` pointing elsewhere would make this page an open redirect. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

/**
 * Sign in with tenant, user name and password (a 15-minute token), or with an API key (the admin
 * key printed at the first start; a read-only key for a board TV). Afterwards back to `next`.
 */
export default function Login() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [mode, setMode] = useState<'password' | 'apiKey'>('password');
  const [form] = Form.useForm<Values>();
  const client = useMemo(() => clientFor(null), []);
  const reason = params.get('reason');
  const next = safeNext(params.get('next'));

  useEffect(() => {
    document.title = `${t('login.title')} · ${t('appShort')}`;
  }, [t]);

  const { submit, submitting, error } = useSubmit(form, async (v: Values) => {
    if (mode === 'password') {
      const token = await client.auth.login({ tenant: v.tenant.trim(), username: v.username!.trim(), password: v.password! });
      saveSession({ kind: 'token', credential: token.token, tenant: v.tenant.trim(), username: v.username!.trim(), expiresAt: token.expiresAt });
    } else {
      const key = v.apiKey!.trim();
      const me = await clientFor({ kind: 'apiKey', credential: key, tenant: '', username: '' }).me.get();
      saveSession({ kind: 'apiKey', credential: key, tenant: me.tenant.slug, username: me.user.username }, v.remember);
    }
    navigate(next, { replace: true });
  });

  return (
    <main style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: 'linear-gradient(135deg, #e6f4ff, #f5f5f5)', padding: 16 }}>
      <Card style={{ width: 420, maxWidth: '100%' }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Typography.Title level={1} style={{ fontSize: 24, margin: 0 }}>
            {t('login.title')}
          </Typography.Title>
          <LanguageSwitch />
        </Space>
        <Typography.Paragraph type="secondary">{t('login.subtitle')}</Typography.Paragraph>
        {reason === 'signed-out' && <Alert type="info" showIcon message={t('login.signedOut')} style={{ marginBottom: 16 }} />}
        {reason && reason !== 'signed-out' && <Alert type="warning" showIcon message={t('login.expired')} data-testid="session-expired" style={{ marginBottom: 16 }} />}
        <ErrorAlert error={error?.code === 'AUTH_INVALID' ? { ...error, message: t('login.invalid') } : error} />
        <Segmented
          block
          value={mode}
          onChange={(v) => setMode(v as 'password' | 'apiKey')}
          options={[{ value: 'password', label: t('login.withPassword') }, { value: 'apiKey', label: t('login.withKey') }]}
          style={{ marginBottom: 16 }}
        />
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ tenant: 'default' }} requiredMark={false}>
          {mode === 'password' ? (
            <>
              <Form.Item name="tenant" label={t('login.tenant')} extra={t('login.tenantHelp')} rules={[{ required: true, message: t('form.required', { label: t('login.tenant') }) }]}>
                <Input size="large" autoComplete="organization" data-testid="login-tenant" />
              </Form.Item>
              <Form.Item name="username" label={t('login.username')} rules={[{ required: true, message: t('form.required', { label: t('login.username') }) }]}>
                <Input size="large" autoComplete="username" data-testid="login-username" />
              </Form.Item>
              <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('form.required', { label: t('login.password') }) }]}>
                <Input.Password size="large" autoComplete="current-password" data-testid="login-password" />
              </Form.Item>
            </>
          ) : (
            <>
              <Form.Item name="apiKey" label={t('login.apiKey')} extra={t('login.apiKeyHelp')} rules={[{ required: true, message: t('form.required', { label: t('login.apiKey') }) }]}>
                <Input.Password size="large" autoComplete="off" data-testid="login-apikey" />
              </Form.Item>
              <Form.Item name="remember" valuePropName="checked">
                <Checkbox>{t('login.remember')}</Checkbox>
              </Form.Item>
            </>
          )}
          <Button type="primary" htmlType="submit" size="large" block loading={submitting} data-testid="login-submit">
            {t('login.submit')}
          </Button>
        </Form>
      </Card>
    </main>
  );
}
