import { Select } from 'antd';
import { useEffect, useState } from 'react';
import { useClient } from '../app/session';

export type RefKind = 'material' | 'warehouse' | 'customer' | 'supplier' | 'unit';

interface Option {
  value: string;
  label: string;
}

/**
 * Picks a master-data record by typing its code or name; the value is its id (a unit's code).
 * Searches on the server, so it works with 100 000 materials.
 */
export function RefSelect({ kind, value, onChange, id, disabled, testId, ...aria }: { kind: RefKind; value?: string; onChange?(v: string | undefined): void; id?: string; disabled?: boolean; testId?: string; 'aria-label'?: string }) {
  const client = useClient();
  const [options, setOptions] = useState<Option[]>([]);
  const [q, setQ] = useState('');

  useEffect(() => {
    let live = true;
    const timer = setTimeout(async () => {
      const search = q.trim() || undefined;
      let found: Option[] = [];
      if (kind === 'material') found = (await client.materials.list({ q: search, limit: 20 })).items.map((m) => ({ value: m.id, label: `${m.code} · ${m.name}` }));
      else if (kind === 'customer') found = (await client.customers.list({ q: search, limit: 20 })).items.map((c) => ({ value: c.id, label: `${c.code} · ${c.name}` }));
      else if (kind === 'supplier') found = (await client.suppliers.list({ q: search, limit: 20 })).items.map((c) => ({ value: c.id, label: `${c.code} · ${c.name}` }));
      else if (kind === 'warehouse') found = (await client.warehouses.list()).items.map((w) => ({ value: w.id, label: `${w.code} · ${w.name}` }));
      else found = (await client.units.list()).items.map((u) => ({ value: u.code, label: `${u.code} · ${u.name}` }));
      if (search && (kind === 'warehouse' || kind === 'unit')) found = found.filter((o) => o.label.toLowerCase().includes(search.toLowerCase()));
      if (live) setOptions(found);
    }, 200);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [client, kind, q]);

  return (
    <Select
      id={id}
      showSearch
      allowClear
      value={value}
      onChange={onChange}
      onSearch={setQ}
      filterOption={false}
      options={options}
      disabled={disabled}
      data-testid={testId}
      aria-label={aria['aria-label']}
      style={{ minWidth: 200 }}
    />
  );
}
