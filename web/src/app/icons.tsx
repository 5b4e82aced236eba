import {
  AppstoreOutlined, AuditOutlined, BarChartOutlined, BuildOutlined, ControlOutlined, DashboardOutlined, DatabaseOutlined, InboxOutlined, MobileOutlined, SettingOutlined,
  SafetyCertificateOutlined, ShopOutlined, ShoppingCartOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

/** The icons modules name in their ModuleDef (add one here when a module needs another). */
const ICONS: Record<string, ReactNode> = {
  appstore: <AppstoreOutlined />,
  audit: <AuditOutlined />,
  build: <BuildOutlined />,
  control: <ControlOutlined />,
  chart: <BarChartOutlined />,
  dashboard: <DashboardOutlined />,
  database: <DatabaseOutlined />,
  inbox: <InboxOutlined />,
  mobile: <MobileOutlined />,
  setting: <SettingOutlined />,
  safety: <SafetyCertificateOutlined />,
  shop: <ShopOutlined />,
  cart: <ShoppingCartOutlined />,
};

export function byName(name: string): ReactNode {
  return ICONS[name] ?? <AppstoreOutlined />;
}
