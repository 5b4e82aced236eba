import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<string, string> = {
  draft: 'default', approved: 'blue', in_delivery: 'processing', receiving: 'processing', closed: 'green', cancelled: 'red', posted: 'green',
  open: 'blue', partially_shipped: 'processing', shipped: 'green', pending_inspection: 'orange', inspected: 'green', active: 'green', disabled: 'red', suspended: 'red',
  planned: 'default', released: 'blue', in_progress: 'processing', completed: 'green', pending: 'default', paused: 'orange', acknowledged: 'orange', cleared: 'green', retired: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={COLORS[status] ?? 'default'} style={{ color: '#1f1f1f' }}>{t(`status.${status}`, { defaultValue: status })}</Tag>;
}
