import { Button, List } from 'antd';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { friendly, type FriendlyError } from '../app/errors';
import { ErrorAlert } from './ErrorAlert';
import type { PageResult } from './ServerTable';

/** A phone list: big rows, "more" loads the next page. */
export function MobileList<T>({ title, help, load, render }: { title: string; help: string; load(cursor?: string): Promise<PageResult<T>>; render(item: T): { key: string; title: string; right?: ReactNode; sub?: string } }) {
  const { t } = useTranslation();
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<FriendlyError | null>(null);
  const [loading, setLoading] = useState(true);
  const more = async (cursor?: string) => {
    setLoading(true);
    try {
      const page = await load(cursor);
      setItems((x) => (cursor ? [...x, ...page.items] : page.items));
      setNext(page.nextCursor);
    } catch (err) {
      setError(friendly(err, t));
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    void more();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return (
    <section>
      <h1 style={{ fontSize: 22 }}>{title}</h1>
      <p>{help}</p>
      <ErrorAlert error={error} />
      <List
        loading={loading}
        bordered
        dataSource={items}
        locale={{ emptyText: t('table.empty') }}
        renderItem={(item) => {
          const r = render(item);
          return (
            <List.Item key={r.key} extra={r.right} style={{ fontSize: 16 }}>
              <List.Item.Meta title={r.title} description={r.sub} />
            </List.Item>
          );
        }}
      />
      {next && (
        <Button block size="large" style={{ marginTop: 12 }} onClick={() => void more(next)}>
          {t('actions.next')}
        </Button>
      )}
    </section>
  );
}
