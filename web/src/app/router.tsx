import { createBrowserRouter, type RouteObject } from 'react-router';
import type { ModuleDef, PageDef } from './module';

/** A route whose component is its own chunk, loaded on the first visit. */
function lazyPage(p: PageDef): RouteObject {
  return { path: p.path, lazy: async () => ({ Component: (await p.load()).default }) };
}

/**
 * Four areas, each a lazy chunk with its own layout: the PC console (/), PDA pages (/pda), boards
 * (/boards) and mobile reports (/m); every module contributes pages to any of them.
 */
export function buildRouter(modules: ModuleDef[]) {
  const of = (area: 'pages' | 'pda' | 'boards' | 'mobile') => modules.flatMap((m) => m[area] ?? []).map(lazyPage);
  return createBrowserRouter([
    { path: '/login', lazy: async () => ({ Component: (await import('./Login')).default }) },
    {
      path: '/pda',
      lazy: async () => {
        const { default: PdaShell } = await import('./PdaShell');
        return { Component: () => <PdaShell area="pda" /> };
      },
      children: [{ index: true, lazy: async () => { const { AreaHome } = await import('./PdaShell'); return { Component: () => <AreaHome area="pda" /> }; } }, ...of('pda')],
    },
    {
      path: '/m',
      lazy: async () => {
        const { default: PdaShell } = await import('./PdaShell');
        return { Component: () => <PdaShell area="mobile" /> };
      },
      children: [{ index: true, lazy: async () => { const { AreaHome } = await import('./PdaShell'); return { Component: () => <AreaHome area="mobile" /> }; } }, ...of('mobile')],
    },
    {
      path: '/boards',
      lazy: async () => ({ Component: (await import('./BoardShell')).default }),
      children: [{ index: true, lazy: async () => ({ Component: (await import('./BoardShell')).BoardIndex }) }, ...of('boards')],
    },
    {
      path: '/',
      lazy: async () => ({ Component: (await import('./Shell')).default }),
      children: [{ index: true, lazy: async () => ({ Component: (await import('./Home')).default }) }, ...of('pages')],
    },
    { path: '*', lazy: async () => ({ Component: (await import('./NotFound')).default }) },
  ]);
}
