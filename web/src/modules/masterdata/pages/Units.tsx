import type { Unit, UnitConversion } from '@mes/sdk';
import { Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../../../app/errors';
import { useSession } from '../../../app/session';
import { ErrorAlert } from '../../../components/ErrorAlert';
import { FormDrawer } from '../../../components/FormDrawer';
import { Page } from '../../../components/Page';

/** Units and their exact conversions. */
export default function Units() {
  const { t } = useTranslation('masterdata');
  const { client, can } = useSession();
  const [units, setUnits] = useState<Unit[]>([]);
  const [conversions, setConversions] = useState<UnitConversion[]>([]);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    Promise.all([client.units.list(), client.unitConversions.list()]).then(
      ([u, c]) => {
        setUnits(u.items);
        setConversions(c.items);
      },
      (err) => setError(friendly(err, t)),
    );
  }, [client, reload, t]);
  const done = () => setReload((n) => n + 1);
  return (
    <Page
      title={t('units.title')}
      help={t('units.help')}
      extra={
        can('masterdata:write') && (
          <FormDrawer
            testId="new-unit"
            label={t('units.new')}
            title={t('units.new')}
            fields={[
              { name: 'code', label: t('units.code'), required: true },
              { name: 'name', label: t('units.name'), required: true },
              { name: 'decimals', label: t('units.decimals'), kind: 'integer', required: true, initial: 0 },
            ]}
            send={(b) => client.units.create(b as never)}
            onDone={done}
          />
        )
      }
    >
      <ErrorAlert error={error} />
      <Table<Unit> rowKey="code" dataSource={units} pagination={false} columns={[
        { title: t('units.code'), dataIndex: 'code' },
        { title: t('units.name'), dataIndex: 'name' },
        { title: t('units.decimals'), dataIndex: 'decimals' },
      ]} />
      <Typography.Title level={2} style={{ fontSize: 18, marginTop: 24 }}>
        {t('units.conversions')}
      </Typography.Title>
      {can('masterdata:write') && (
        <FormDrawer
          testId="new-conversion"
          label={t('units.newConversion')}
          title={t('units.newConversion')}
          fields={[
            { name: 'fromUnit', label: t('units.from'), kind: 'unit', required: true },
            { name: 'toUnit', label: t('units.to'), kind: 'unit', required: true },
            { name: 'factor', label: t('units.factor'), kind: 'quantity', required: true },
          ]}
          send={(b) => client.unitConversions.create(b as never)}
          onDone={done}
        />
      )}
      <Table<UnitConversion> rowKey={(c) => `${c.fromUnit}-${c.toUnit}-${c.materialId ?? ''}`} dataSource={conversions} pagination={false} style={{ marginTop: 12 }} columns={[
        { title: t('units.from'), dataIndex: 'fromUnit' },
        { title: t('units.to'), dataIndex: 'toUnit' },
        { title: t('units.factor'), dataIndex: 'factor' },
      ]} />
    </Page>
  );
}
