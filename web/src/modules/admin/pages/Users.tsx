import type { Role, User } from '@mes/sdk';
import { Button, Form, Input, Modal, Select, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';
import { ServerTable } from '../../../components/ServerTable';
import { StatusTag } from '../../../components/StatusTag';
import { useSubmit } from '../../../components/useSubmit';

/** Users: create, change roles, password and status (optimistic concurrency on version). */
export default function Users() {
  const { t } = useTranslation('admin');
  const { client, can } = useSession();
  const [reload, setReload] = useState(0);
  const [roles, setRoles] = useState<Role[]>([]);
  const [editing, setEditing] = useState<User | null>(null);
  const [form] = Form.useForm();
  useEffect(() => {
    if (can('roles:read')) void client.roles.list().then((r) => setRoles(r.items));
  }, [client, can]);
  const roleOptions = roles.map((r) => ({ value: r.name, label: r.name }));
  const { submit, submitting, error, unplaced, setError } = useSubmit(
    form,
    (v: { roles: string[]; password?: string; displayName: string }) => client.users.update(editing!.id, { version: editing!.version, roles: v.roles, displayName: v.displayName, ...(v.password ? { password: v.password } : {}) }),
    () => {
      setEditing(null);
      setReload((n) => n + 1);
    },
  );
  return (
    <Page title={t('users.title')} help={t('users.help')}>
      <ServerTable<User>
        rowKey="id"
        reloadKey={reload}
        load={(q) => client.users.list(q)}
        extra={
          can('users:write') && (
            <FormDrawer
              testId="new-user"
              label={t('users.new')}
              title={t('users.new')}
              fields={[
                { name: 'username', label: t('users.username'), required: true },
                { name: 'displayName', label: t('users.displayName'), required: true },
                { name: 'email', label: t('users.email') },
                { name: 'password', label: t('users.password'), kind: 'password' },
                { name: 'roles', label: t('users.roles'), kind: 'select', multiple: true, options: roleOptions },
              ]}
              send={(b) => client.users.create(b as never)}
              onDone={() => setReload((n) => n + 1)}
            />
          )
        }
        columns={[
          { title: t('users.username'), dataIndex: 'username' },
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.roles'), dataIndex: 'roles', render: (r: string[]) => r.join(', ') },
          { title: t('users.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          {
            key: 'actions',
            render: (_: unknown, u) =>
              can('users:write') ? (
                <Space>
                  <Button size="small" onClick={() => { setError(null); setEditing(u); form.setFieldsValue({ roles: u.roles, displayName: u.displayName, password: '' }); }}>{t('users.edit')}</Button>
                  <Button size="small" onClick={() => client.users.update(u.id, { version: u.version, status: u.status === 'active' ? 'disabled' : 'active' }).then(() => setReload((n) => n + 1))}>
                    {u.status === 'active' ? t('users.disable') : t('users.enable')}
                  </Button>
                </Space>
              ) : null,
          },
        ]}
      />
      <Modal open={!!editing} title={`${t('users.edit')} ${editing?.username ?? ''}`} onCancel={() => setEditing(null)} onOk={() => form.submit()} confirmLoading={submitting}>
        <ErrorAlert error={error} unplaced={unplaced} />
        <Form form={form} layout="vertical" onFinish={submit}>
          <Form.Item name="displayName" label={t('users.displayName')}><Input /></Form.Item>
          <Form.Item name="roles" label={t('users.roles')}><Select mode="multiple" options={roleOptions} /></Form.Item>
          <Form.Item name="password" label={t('users.newPassword')}><Input.Password autoComplete="new-password" /></Form.Item>
        </Form>
      </Modal>
    </Page>
  );
}
