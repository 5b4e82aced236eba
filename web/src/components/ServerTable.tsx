import { Button, DatePicker, Form, Input, Select, Space, Table, type TableColumnsType } from 'antd';
import dayjs from 'dayjs';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { friendly, type FriendlyError } from '../app/errors';
import { ErrorAlert } from './ErrorAlert';
import { RefSelect } from './RefSelect';

export interface FilterField {
  name: string;
  label: string;
  kind?: 'text' | 'select' | 'bool' | 'date' | 'material' | 'warehouse';
  options?: { value: string; label: string }[];
  placeholder?: string;
}

export interface PageResult<T> {
  items: T[];
  nextCursor: string | null;
}

interface Props<T> {
  load(query: Record<string, string | number | boolean>): Promise<PageResult<T>>;
  columns: TableColumnsType<T>;
  rowKey: keyof T & string;
  filters?: FilterField[];
  /** Buttons beside the filters (New, Export). */
  extra?: ReactNode;
  /** Change it to load again (after a create). */
  reloadKey?: unknown;
  pageSize?: number;
  testId?: string;
}

/**
 * A server-paged list: filters and the page's cursor live in the URL (a link or a reload shows the
 * same page), pages come from the API's cursor pagination, and a failure shows its friendly message.
 */
export function ServerTable<T extends object>({ load, columns, rowKey, filters = [], extra, reloadKey, pageSize = 50, testId = 'list' }: Props<T>) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm();
  const [rows, setRows] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<FriendlyError | null>(null);
  /** Cursors of the pages before this one, for "previous". */
  const [history, setHistory] = useState<string[]>([]);

  const query = useMemo(() => {
    const q: Record<string, string | number | boolean> = { limit: pageSize };
    for (const f of filters) {
      const v = params.get(f.name);
      if (v !== null && v !== '') q[f.name] = f.kind === 'bool' ? v === 'true' : v;
    }
    const cursor = params.get('cursor');
    if (cursor) q.cursor = cursor;
    return q;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params.toString(), pageSize]);

  const fetchPage = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const page = await load(query);
      setRows(page.items);
      setNext(page.nextCursor);
    } catch (err) {
      setRows([]);
      setError(friendly(err, t));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, reloadKey]);

  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);

  useEffect(() => {
    const values: Record<string, unknown> = {};
    for (const f of filters) {
      const v = params.get(f.name);
      values[f.name] = v === null ? undefined : f.kind === 'date' ? dayjs(v) : v;
    }
    form.setFieldsValue(values);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [params.toString()]);

  function applyFilters(values: Record<string, unknown>) {
    const nextParams = new URLSearchParams();
    for (const f of filters) {
      const v = values[f.name];
      if (v === undefined || v === null || v === '') continue;
      nextParams.set(f.name, f.kind === 'date' ? dayjs(v as string).format('YYYY-MM-DD') : String(v));
    }
    setHistory([]);
    setParams(nextParams);
  }

  function go(cursor: string | null, back: boolean) {
    const p = new URLSearchParams(params);
    if (cursor) p.set('cursor', cursor);
    else p.delete('cursor');
    setHistory((h) => (back ? h.slice(0, -1) : [...h, params.get('cursor') ?? '']));
    setParams(p);
  }

  return (
    <div data-testid={testId}>
      {(filters.length > 0 || extra) && (
        <Form form={form} layout="inline" onFinish={applyFilters} style={{ marginBottom: 16, rowGap: 8 }}>
          {filters.map((f) => (
            <Form.Item key={f.name} name={f.name} label={f.label}>
              {f.kind === 'select' || f.kind === 'bool' ? (
                <Select
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  style={{ minWidth: 140 }}
                  aria-label={f.label}
                  data-testid={`filter-${f.name}`}
                  options={f.kind === 'bool' ? [{ value: 'true', label: t('yes') }, { value: 'false', label: t('no') }] : f.options}
                />
              ) : f.kind === 'material' || f.kind === 'warehouse' ? (
                <RefSelect kind={f.kind} aria-label={f.label} testId={`filter-${f.name}`} />
              ) : f.kind === 'date' ? (
                <DatePicker aria-label={f.label} />
              ) : (
                <Input allowClear placeholder={f.placeholder} aria-label={f.label} />
              )}
            </Form.Item>
          ))}
          {filters.length > 0 && (
            <Form.Item>
              <Space>
                <Button type="primary" htmlType="submit" data-testid="filter-search">
                  {t('actions.search')}
                </Button>
                <Button onClick={() => applyFilters({})}>{t('actions.reset')}</Button>
              </Space>
            </Form.Item>
          )}
          {extra && <Form.Item style={{ marginInlineStart: 'auto' }}>{extra}</Form.Item>}
        </Form>
      )}
      <ErrorAlert error={error} />
      <Table<T>
        size="middle"
        rowKey={rowKey}
        loading={loading}
        columns={columns}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('table.empty') }}
      />
      <Space style={{ marginTop: 16 }}>
        <Button disabled={history.length === 0 && !params.get('cursor')} onClick={() => go(history.at(-1) || null, true)}>
          {t('actions.previous')}
        </Button>
        <span>{t('table.page', { n: history.length + 1 })} · {t('table.rows', { n: rows.length })}</span>
        <Button disabled={!next} onClick={() => go(next, false)} data-testid="next-page">
          {t('actions.next')}
        </Button>
      </Space>
    </div>
  );
}
