import type { ComponentType } from 'react';

/** A page's component, loaded when its route is first visited (one chunk per page). */
export type PageLoader = () => Promise<{ default: ComponentType }>;

export interface PageDef {
  /** Relative to the area: `materials` is /materials on the PC console, /pda/receive on the PDA. */
  path: string;
  /** i18n key of the title (menu, tab title): `<module>:<key>`. */
  title: string;
  /** Shown only with this permission; the API enforces it anyway. */
  permission?: string;
  /** Listed in the menu (default true); false for detail pages reached by a link. */
  menu?: boolean;
  load: PageLoader;
}

type Messages = Record<string, unknown>;

/**
 * One business module's pages. A module lives in `src/modules/<id>/`: `index.ts` exports this
 * (small: loaded with the app for the menus), its pages are lazy chunks, its texts are its own
 * i18n namespace `<id>` in both languages. Register it in `src/modules/index.ts`.
 */
export interface ModuleDef {
  id: string;
  /** i18n key of the menu group, e.g. `masterdata:menu`. */
  title: string;
  /** An @ant-design/icons name for the menu group. */
  icon: string;
  messages: { 'zh-CN': Messages; en: Messages };
  /** PC console pages (under the side menu). */
  pages?: PageDef[];
  /** PDA pages (/pda/…): narrow, large-touch, scan-driven. */
  pda?: PageDef[];
  /** Shop-floor boards (/boards/…): full-screen, dark, live. */
  boards?: PageDef[];
  /** Mobile reports (/m/…): a phone's view of orders and stock. */
  mobile?: PageDef[];
}
