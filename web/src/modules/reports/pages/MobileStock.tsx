import type { Balance } from '@mes/sdk';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../../app/session';
import { MobileList } from '../../../components/MobileList';

export default function MobileStock() {
  const { t } = useTranslation('reports');
  const { client } = useSession();
  return (
    <MobileList<Balance>
      title={t('mobileStock.title')}
      help={t('mobileStock.help')}
      load={(cursor) => client.stock.balances({ limit: 30, cursor })}
      render={(b) => ({ key: `${b.materialId}|${b.warehouseId}|${b.binId}|${b.batchNo}|${b.serialNo}`, title: b.materialCode, right: <strong style={{ fontSize: 18 }}>{b.quantity} {b.baseUnit}</strong>, sub: [b.warehouseCode, b.binCode, b.batchNo].filter(Boolean).join(' · ') })}
    />
  );
}
