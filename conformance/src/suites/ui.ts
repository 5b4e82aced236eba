/**
 * The web console through a real browser (S1-6.2.3-b automated UI tests, Selenium; S1-6.2.2
 * functional tests through links, buttons and field input). Chromium and chromedriver drive the
 * target's console at `/` as a person would: sign in, create a material (a bad entry first, whose
 * field error must show next to its field), receive it on the PDA by scanning, inspect it, pick and
 * ship it by scanning, read the balance on the stock page, lose the session and come back to the
 * same page; a PDA run in a phone-sized window; a board that must update within seconds of an API
 * change; a hidden action the API refuses shown as a friendly error. Every step leaves a
 * screenshot; every page is checked with axe (serious or critical violations fail); the browser's
 * console log goes into the evidence and any error in it fails the check. The shop floor's pages
 * (production orders, PDA work reporting, equipment, alarms, the equipment wall, the workshop e-kanban) are in
 * ui-shopfloor.ts, the quality pages in ui-quality.ts, the planner's (MRP, dispatching, kitting, issue) in ui-planning.ts.
 *
 * Documents that come from other offices (the purchase order, the sales order and its delivery
 * plan) are created through the API: the suite tests the warehouse's and the clerk's pages.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Builder, By, Key, logging, until } from 'selenium-webdriver';
import chrome from 'selenium-webdriver/chrome.js';
import type { Check, CheckContext, Suite, SuiteContext } from '../types.js';
import { PASSWORD, WAIT_MS, apiOf, byTest, choose, clickText, expectOk, menu, signIn, step, type, visible, type Session } from './ui-browser.js';
import { planningFlow } from './ui-planning.js';
import { qualityFlow, qualitySetup, traceFlow } from './ui-quality.js';
import { equipmentFlow, kanbanLive, productionFlow, shopFloorSeeds } from './ui-shopfloor.js';

const CLAUSES = ['S1-6.2.2', 'S1-6.2.3-b'];
export const CHROMIUM = process.env.MES_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMEDRIVER = process.env.MES_CHROMEDRIVER ?? '/usr/bin/chromedriver';
/** A board must show an API change within this. */
export const BOARD_BOUND_MS = 10_000;

export const uiSuite: Suite = {
  id: 'ui',
  title: 'Web console, PDA pages and boards in a real browser (Selenium)',
  proves: [...CLAUSES, 'S1-5.4.4-l', 'S1-5.4.4-f', 'S1-5.4.4-j', 'S1-5.4.4-k'],
  unavailable() {
    if (!existsSync(CHROMIUM)) return `no Chromium at ${CHROMIUM} (apt-get install chromium, or set MES_CHROMIUM)`;
    if (!existsSync(CHROMEDRIVER)) return `no chromedriver at ${CHROMEDRIVER} (apt-get install chromium-driver, or set MES_CHROMEDRIVER)`;
    return undefined;
  },
  async prepare(ctx: SuiteContext) {
    const page = await ctx.target.request('GET', '/', { headers: { accept: 'text/html' } });
    if (page.status !== 200 || !/<div id="root">/.test(page.text)) throw new Error(`the target serves no web console at / (HTTP ${page.status}); the UI clauses need one`);
    const tenant = await ctx.tenants.create('ui');
    const api = apiOf(ctx.target, tenant.adminKey);
    const admin = (await api('GET', `/v1/users/${tenant.adminUserId}`)).json;
    await expectOk(api('PATCH', `/v1/users/${tenant.adminUserId}`, { version: admin.version, password: PASSWORD }), 'setting the admin password');
    await expectOk(api('POST', '/v1/units', { code: 'PCS', name: 'piece', decimals: 0 }), 'unit');
    const warehouse = (await expectOk(api('POST', '/v1/warehouses', { code: 'UI-W1', name: 'Main warehouse' }), 'warehouse')).json;
    const supplier = (await expectOk(api('POST', '/v1/suppliers', { code: 'UI-SUP', name: 'Fan parts supplier' }), 'supplier')).json;
    const customer = (await expectOk(api('POST', '/v1/customers', { code: 'UI-CUS', name: 'Appliance customer' }), 'customer')).json;
    for (const c of ['units', 'warehouses', 'suppliers', 'customers']) ctx.tenants.noteRow(tenant, c);
    const shopFloor = await shopFloorSeeds(ctx.target, tenant);

    const options = new chrome.Options()
      .setChromeBinaryPath(CHROMIUM)
      .addArguments('--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', `--user-data-dir=/tmp/mes-ui-${randomBytes(6).toString('hex')}`, '--window-size=1366,900', '--lang=zh-CN',
        // Axe measures contrast as the page is drawn: a drawer still fading out blends the header's colours.
        '--force-prefers-reduced-motion');
    const downloads = mkdtempSync(path.join(tmpdir(), 'mes-ui-downloads-'));
    options.setUserPreferences({ 'download.default_directory': downloads, 'download.prompt_for_download': false });
    const prefs = new logging.Preferences();
    prefs.setLevel(logging.Type.BROWSER, logging.Level.ALL);
    options.setLoggingPrefs(prefs);
    const driver = await new Builder().forBrowser('chrome').setChromeOptions(options as never).setChromeService(new chrome.ServiceBuilder(CHROMEDRIVER)).build();
    const s: Session = { driver, target: ctx.target, tenant, shots: 0, consoleLog: [], evidence: ctx.writeEvidence, downloads };
    const seeds = { warehouse, supplier, customer };
    return {
      checks: [consoleFlow(s, seeds), pdaPhone(s, seeds), boardLive(s, seeds), productionFlow(s, shopFloor), kanbanLive(s, shopFloor), equipmentFlow(s, shopFloor), qualityFlow(s, shopFloor), qualitySetup(s), traceFlow(s, { supplierId: supplier.id, warehouseCode: warehouse.code }), planningFlow(s, { customerId: customer.id, warehouseCode: warehouse.code }), permissionRefusal(s)],
      async external() {
        await driver.quit().catch(() => {});
        rmSync(downloads, { recursive: true, force: true });
        await ctx.writeEvidence('ui/browser-console.log', `${s.consoleLog.join('\n')}\n`);
        return [];
      },
      notes: () => ({ screenshots: s.shots, consoleLines: s.consoleLog.length }),
    };
  },
};

type Seeds = { warehouse: { id: string; code: string }; supplier: { id: string }; customer: { id: string } };

function consoleFlow(s: Session, seeds: Seeds): Check {
  return {
    id: 'ui/console-flow',
    title: 'a clerk creates a material (a bad entry shows its field error), receives it by scanning, inspects, ships it by scanning, reads the balance, and comes back after the session is lost',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const d = s.driver;
      const api = apiOf(s.target, s.tenant.adminKey);
      const code = `FAN-${randomBytes(3).toString('hex').toUpperCase()}`;
      await d.manage().window().setRect({ width: 1366, height: 900 });
      await signIn(s);
      await step(s, ctx, 'signed-in');

      // Master data: a bad code first (a space is not allowed), then the right one.
      await menu(s, '基础资料', '物料');
      await (await visible(d, byTest('new-material-open'))).click();
      await type(d, byTest('field-code'), `${code} X`);
      await type(d, byTest('field-name'), '塑料扇叶 300mm');
      await choose(d, byTest('field-baseUnit'), 'PCS');
      await (await visible(d, byTest('new-material-submit'))).click();
      const fieldError = await visible(d, By.xpath(`//*[@data-testid='field-code']/ancestor::div[contains(concat(' ',normalize-space(@class),' '),' ant-form-item ')][1]//div[contains(@class,'ant-form-item-explain-error')]`));
      ctx.assert((await fieldError.getText()).length > 0, 'the refused code shows no error next to the code field');
      ctx.record('fieldError', await fieldError.getText());
      await step(s, ctx, 'field-error');
      await type(d, byTest('field-code'), code);
      await (await visible(d, byTest('new-material-submit'))).click();
      await visible(d, By.xpath(`//td[normalize-space(.)=${JSON.stringify(code)}]`));
      await step(s, ctx, 'material-created');
      const material = (await api('GET', `/v1/materials?q=${code}`)).json.items.find((m: { code: string }) => m.code === code);
      ctx.assert(material, `material ${code} created in the page is not in the API`);
      s.tenant && ctx.record('material', code);

      // Purchasing office's order (API), then the warehouse receives it on the PDA by scanning.
      const po = (await expectOk(api('POST', '/v1/purchase-orders', { supplierId: seeds.supplier.id, lines: [{ materialId: material.id, quantity: '10' }] }), 'purchase order')).json;
      await expectOk(api('POST', `/v1/purchase-orders/${po.id}/approve`, { version: po.version }), 'approving the purchase order');
      await d.get(`${s.target.baseUrl}/pda`);
      await (await visible(d, By.xpath(`//a[.//span[normalize-space(.)='扫码收货']]`))).click();
      await choose(d, byTest('pda-order'), po.docNo);
      // A GS1-128 scan as a keyboard wedge types it: symbology id, AI (240) material code, Enter.
      await (await visible(d, byTest('scan'))).sendKeys(`]C1240${code}`, Key.ENTER);
      await type(d, byTest('pda-quantity'), '10');
      await (await visible(d, byTest('pda-add'))).click();
      await (await visible(d, byTest('pda-submit'))).click();
      const received = await (await visible(d, byTest('pda-done'))).getText();
      ctx.assert(/PR|收货/.test(received), `the PDA did not confirm the receipt: ${received}`);
      await step(s, ctx, 'pda-received');

      // Incoming inspection on the PC: all accepted into the main warehouse.
      await d.get(`${s.target.baseUrl}/`);
      await menu(s, '采购', '来料检验');
      await (await visible(d, By.xpath(`//button[starts-with(@data-testid,'inspect-')]`))).click();
      await choose(d, byTest('inspection-warehouse'), seeds.warehouse.code);
      await (await visible(d, byTest('inspection-submit'))).click();
      await visible(d, byTest('inspection-done'));
      await step(s, ctx, 'inspected');

      // Sales office's order and delivery plan (API); the warehouse picks and ships 4 on the PDA.
      const so = (await expectOk(api('POST', '/v1/sales-orders', { customerId: seeds.customer.id, lines: [{ materialId: material.id, quantity: '4', price: '12.50', deliveryDate: '2030-01-15' }] }), 'sales order')).json;
      await expectOk(api('POST', `/v1/sales-orders/${so.id}/approve`, { version: so.version }), 'approving the sales order');
      const plan = (await expectOk(api('POST', '/v1/delivery-plans', { customerId: seeds.customer.id, plannedDate: '2030-01-15', lines: [{ orderId: so.id, lineNo: 1, quantity: '4' }] }), 'delivery plan')).json;
      await d.get(`${s.target.baseUrl}/pda`);
      await (await visible(d, By.xpath(`//a[.//span[normalize-space(.)='扫码拣货发货']]`))).click();
      await choose(d, byTest('ship-plan'), plan.docNo);
      await choose(d, byTest('ship-warehouse'), seeds.warehouse.code);
      await (await visible(d, byTest('ship-start'))).click();
      const fifo = await (await visible(d, byTest('fifo'))).getText();
      ctx.assert(fifo.includes(code), `no first-in-first-out suggestion for ${code}: ${fifo}`);
      await type(d, byTest('ship-quantity'), '4');
      await (await visible(d, byTest('ship-scan'))).sendKeys(`]C1240${code}`, Key.ENTER);
      await d.wait(async () => (await (await visible(d, byTest('ship-lines'))).getText()).includes(code), WAIT_MS, 'the scan did not add a line');
      await step(s, ctx, 'pda-picked');
      await (await visible(d, byTest('ship-post'))).click();
      await visible(d, byTest('ship-done'));
      await step(s, ctx, 'pda-shipped');

      // The stock page: 10 received − 4 shipped.
      await d.get(`${s.target.baseUrl}/`);
      await menu(s, '仓储', '库存查询');
      await choose(d, byTest('filter-materialId'), code);
      await (await visible(d, byTest('filter-search'))).click();
      await d.wait(until.urlContains(`materialId=${material.id}`), WAIT_MS);
      const qty = await d.wait(async () => {
        const cells = await d.findElements(byTest('balance-quantity'));
        return cells.length === 1 ? cells[0].getText() : false;
      }, WAIT_MS, 'no balance row for the material');
      ctx.assert(qty === '6', `the stock page shows ${qty} for ${code}, expected 6 (10 received, 4 shipped)`);
      await step(s, ctx, 'stock-balance');

      // The session is lost (a token that no longer works): the next call sends the clerk to the
      // login page, which brings them back to the same filtered page.
      const before = await d.getCurrentUrl();
      await d.executeScript(`const s = JSON.parse(sessionStorage.getItem('mes.session')); s.credential = 'expired.token.value'; sessionStorage.setItem('mes.session', JSON.stringify(s));`);
      await d.navigate().refresh();
      await visible(d, byTest('session-expired'));
      ctx.assert((await d.getCurrentUrl()).includes(`next=${encodeURIComponent(new URL(before).pathname + new URL(before).search)}`), `the login page does not keep the route: ${await d.getCurrentUrl()}`);
      await step(s, ctx, 'session-lost');
      await type(d, byTest('login-tenant'), s.tenant.slug);
      await type(d, byTest('login-username'), 'admin');
      await type(d, byTest('login-password'), PASSWORD);
      await (await visible(d, byTest('login-submit'))).click();
      await d.wait(until.urlIs(before), WAIT_MS, 'not back on the page after signing in again');
      await step(s, ctx, 'back-after-login');
    },
  };
}

function pdaPhone(s: Session, seeds: Seeds): Check {
  return {
    id: 'ui/pda-phone',
    title: 'on a phone-sized screen a counter records a count by scanning, with nothing wider than the screen',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const d = s.driver;
      const api = apiOf(s.target, s.tenant.adminKey);
      const code = `CNT-${randomBytes(3).toString('hex').toUpperCase()}`;
      const material = (await expectOk(api('POST', '/v1/materials', { code, name: 'Count item', baseUnit: 'PCS' }), 'material')).json;
      await expectOk(api('POST', '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: material.id, warehouseId: seeds.warehouse.id, quantity: '5' }] }), 'opening stock');
      const sheet = (await expectOk(api('POST', '/v1/count-sheets', { warehouseId: seeds.warehouse.id, materialIds: [material.id] }), 'count sheet')).json;
      await d.manage().window().setRect({ width: 390, height: 844 });
      try {
        await signIn(s);
        await d.get(`${s.target.baseUrl}/pda`);
        await (await visible(d, By.xpath(`//a[.//span[normalize-space(.)='盘点录入']]`))).click();
        await step(s, ctx, 'pda-count-open');
        // Several open sheets may exist (other checks): pick ours.
        await choose(d, byTest('count-sheet'), sheet.sheetNo);
        await (await visible(d, byTest('scan'))).sendKeys(code, Key.ENTER);
        await type(d, byTest('count-quantity'), '4');
        await clickText(d, '记录', 'button');
        await visible(d, By.xpath(`//*[contains(., ${JSON.stringify(`已记录 ${code}`)})]`));
        const overflow = await d.executeScript<number>('return document.documentElement.scrollWidth - window.innerWidth');
        ctx.assert(overflow <= 0, `the PDA page is ${overflow}px wider than a 390px screen`);
        await step(s, ctx, 'pda-count-recorded');
        const after = (await api('GET', `/v1/count-sheets/${sheet.id}`)).json;
        const line = after.lines.find((l: { materialCode: string }) => l.materialCode === code);
        ctx.assert(line && String(line.counted) === '4', `the count sheet has ${JSON.stringify(line)} for ${code}, expected 4 counted`);
      } finally {
        await d.manage().window().setRect({ width: 1366, height: 900 });
      }
    },
  };
}

function boardLive(s: Session, seeds: Seeds): Check {
  return {
    id: 'ui/board-live',
    title: `the stock board shows a stock change made through the API within ${BOARD_BOUND_MS / 1000} s, without a reload`,
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const d = s.driver;
      const api = apiOf(s.target, s.tenant.adminKey);
      const code = `BRD-${randomBytes(3).toString('hex').toUpperCase()}`;
      const material = (await expectOk(api('POST', '/v1/materials', { code, name: 'Board item', baseUnit: 'PCS' }), 'material')).json;
      await d.manage().window().setRect({ width: 1920, height: 1080 });
      try {
        await signIn(s);
        await d.get(`${s.target.baseUrl}/boards/stock`);
        await d.wait(async () => (await (await visible(d, byTest('board'))).getAttribute('data-live')) === 'live', WAIT_MS, 'the board never connected to the event stream');
        await step(s, ctx, 'board-before');
        const t0 = Date.now();
        await expectOk(api('POST', '/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialId: material.id, warehouseId: seeds.warehouse.id, quantity: '7' }] }), 'stock document');
        await d.wait(async () => (await (await visible(d, byTest('board-recent'))).getText()).includes(code), BOARD_BOUND_MS, `the board did not show ${code} within ${BOARD_BOUND_MS} ms`);
        const ms = Date.now() - t0;
        ctx.record('boardUpdateMs', ms);
        ctx.assert(ms <= BOARD_BOUND_MS, `the board took ${ms} ms`);
        await step(s, ctx, 'board-after');
      } finally {
        await d.manage().window().setRect({ width: 1366, height: 900 });
      }
    },
  };
}

function permissionRefusal(s: Session): Check {
  return {
    id: 'ui/permission-refusal',
    title: 'an action the page still shows but the API now refuses ends in a friendly message naming the permission, and nothing is created',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const d = s.driver;
      const api = apiOf(s.target, s.tenant.adminKey);
      const username = `clerk${randomBytes(3).toString('hex')}`;
      const password = `pw-${randomBytes(9).toString('base64url')}`;
      const user = (await expectOk(api('POST', '/v1/users', { username, displayName: 'Warehouse clerk', password, roles: ['admin'] }), 'user')).json;
      const key = (await expectOk(s.target.request('POST', '/v1/api-keys', { key: s.tenant.adminKey, body: { name: 'clerk key', userId: user.id } }), 'key')).json.key;
      // Signed in with the clerk's key, the page offers "New material"…
      await d.get(`${s.target.baseUrl}/login`);
      await d.executeScript('sessionStorage.clear(); localStorage.clear();');
      await d.get(`${s.target.baseUrl}/login`);
      await clickText(d, 'API 密钥', 'label');
      await type(d, byTest('login-apikey'), key);
      await (await visible(d, byTest('login-submit'))).click();
      await visible(d, byTest('current-user'));
      await menu(s, '基础资料', '物料');
      await (await visible(d, byTest('new-material-open'))).click();
      // …then the administrator takes the clerk's rights away.
      await expectOk(api('PATCH', `/v1/users/${user.id}`, { version: user.version, roles: ['viewer'] }), 'demoting the clerk');
      const code = `DENY-${randomBytes(3).toString('hex').toUpperCase()}`;
      await type(d, byTest('field-code'), code);
      await type(d, byTest('field-name'), 'Refused');
      await choose(d, byTest('field-baseUnit'), 'PCS');
      // The key cache of another replica may hold the old rights for a few seconds: retry until refused.
      let text = '';
      const deadline = Date.now() + 12_000;
      while (Date.now() < deadline) {
        await (await visible(d, byTest('new-material-submit'))).click();
        const alert = await visible(d, By.css('[data-testid="error-alert"][data-code="PERMISSION_DENIED"], [data-testid="error-alert"][data-code="MATERIAL_CODE_TAKEN"]'), WAIT_MS).catch(() => undefined);
        text = alert ? await alert.getText() : '';
        if (alert && (await alert.getAttribute('data-code')) === 'PERMISSION_DENIED') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      ctx.assert(text.includes('masterdata:write') && text.includes('权限'), `the refusal is not shown as the friendly permission message: "${text}"`);
      ctx.record('message', text);
      await step(s, ctx, 'permission-refused');
      const found = (await api('GET', `/v1/materials?q=${code}`)).json.items;
      ctx.assert(found.length === 0, `the refused material ${code} was created`);
    },
  };
}
