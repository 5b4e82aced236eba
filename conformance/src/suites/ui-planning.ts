/**
 * The production planner's pages in the ui suite (S1-6.2.2, S1-6.2.3-b; S1-5.4.4-j dispatching,
 * S1-5.4.4-k MRP and kitting, S1-5.4.4-f material issue): a planner runs MRP on the MRP page, finds
 * the planned production order for a sales order pegged to it and firms it; re-sequences an
 * operation on the dispatching page (an unknown station first, whose error must show next to its
 * field); reads two released orders' kitting (the second one short) on the kitting page; and
 * issues material to an order on the issue page from the FIFO suggestion. The sales order, the
 * product's engineering data, the stock and the released orders come from the API (other
 * offices' work).
 */
import { randomBytes } from 'node:crypto';
import { By, Key, until } from 'selenium-webdriver';
import type { Check, CheckContext } from '../types.js';
import { WAIT_MS, apiOf, byTest, choose, expectOk, fieldErrorOf, language, menu, signIn, step, textOf, toastsGone, type, visible, type Session } from './ui-browser.js';

const CLAUSES = ['S1-6.2.2', 'S1-6.2.3-b'];

export function planningFlow(s: Session, seeds: { customerId: string; warehouseCode: string }): Check {
  return {
    id: 'ui/planning-flow',
    title: 'a planner runs MRP and firms the planned order pegged to a sales order, re-sequences an operation on the dispatch list (an unknown station shows its field error), reads two orders\' kitting with the second one short, and issues material to an order from the FIFO suggestion, through the pages',
    clauses: [...CLAUSES, 'S1-5.4.4-f', 'S1-5.4.4-j', 'S1-5.4.4-k'],
    async run(ctx: CheckContext) {
      const d = s.driver;
      const api = apiOf(s.target, s.tenant.adminKey);
      const sfx = randomBytes(2).toString('hex').toUpperCase();
      const made = async (path: string, body?: unknown) => (await expectOk(api('POST', path, body), path)).json;
      const product = `UI-MTR-${sfx}`;
      const part = `UI-CAP-${sfx}`;
      await made('/v1/materials', { code: part, name: '电容', baseUnit: 'PCS' });
      await made('/v1/materials', { code: product, name: '电机', baseUnit: 'PCS', defaultRouting: 'UI-RT' });
      const bom = await made('/v1/boms', { materialCode: product, type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: part, quantity: '2', operationSeq: 10 }] });
      await made(`/v1/boms/${bom.id}/release`, { version: bom.version });
      await made('/v1/stock-documents', { type: 'other_in', post: true, lines: [{ materialCode: part, quantity: '10', warehouseCode: seeds.warehouseCode }] });
      const due = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      const draftSo = await made('/v1/sales-orders', { customerId: seeds.customerId, lines: [{ materialCode: product, quantity: '20', price: '100', taxRate: '13', deliveryDate: due }] });
      const so = await made(`/v1/sales-orders/${draftSo.id}/approve`, { version: draftSo.version });
      const released = async (quantity: string) => {
        const o = await made('/v1/production-orders', { materialCode: product, quantity, plannedStart: '2030-03-02', plannedFinish: '2030-03-04' });
        return made(`/v1/production-orders/${o.id}/release`, { version: o.version });
      };
      const a = await released('4');
      const b = await released('3');
      ctx.record('orders', { a: a.docNo, b: b.docNo, salesOrder: so.docNo });

      await d.manage().window().setRect({ width: 1366, height: 900 });
      await signIn(s);

      // MRP: run it on the page; the sales order's 20 less the released orders' 7 is a make line of 13, pegged to the sales order; firm it.
      await menu(s, '生产', 'MRP 运算');
      await visible(d, byTest('mrp-runs'));
      await (await visible(d, byTest('mrp-run-open'))).click();
      await (await visible(d, byTest('mrp-run-submit'))).click();
      await d.wait(until.urlMatches(/\/production\/mrp\/[0-9a-f-]{36}/), WAIT_MS, 'the new run did not open');
      await choose(d, byTest('mrp-kind'), '自制');
      await d.wait(until.urlContains('kind=make'), WAIT_MS);
      const row = By.xpath(`//*[@data-testid='mrp-planned']//tr[td[normalize-space(.)=${JSON.stringify(product)}]]`);
      const rowText = await (await visible(d, row)).getText();
      ctx.assert(rowText.includes(`${so.docNo}/1`), `the planned order of ${product} is not pegged to ${so.docNo}: ${rowText}`);
      await step(s, ctx, 'mrp-run');
      const box = await (await visible(d, row)).findElement(By.css('input[type=checkbox]'));
      await d.executeScript('arguments[0].click()', box);
      await (await visible(d, byTest('mrp-firm'))).click();
      const firmed = await textOf(d, 'mrp-firmed');
      const runId = (await d.getCurrentUrl()).match(/\/production\/mrp\/([0-9a-f-]{36})/)![1];
      const run = (await api('GET', `/v1/mrp-runs/${runId}?kind=make`)).json;
      const line = run.plannedOrders.find((p: { materialCode: string }) => p.materialCode === product);
      ctx.assert(line && line.quantity === '13' && line.firmedDocNo && firmed.includes(line.firmedDocNo), `after firming on the page the run reads ${JSON.stringify(line)}; the page says ${firmed}`);
      ctx.record('firmed', line.firmedDocNo);
      await step(s, ctx, 'mrp-firmed');

      // Dispatching: order B's first operation to the head of UI-WC's queue; an unknown station first.
      await toastsGone(d);
      await menu(s, '生产', '派工调度');
      await choose(d, byTest('dispatch-work-centre'), 'UI-WC');
      await d.wait(until.urlContains('workCentre=UI-WC'), WAIT_MS);
      await (await visible(d, byTest(`dispatch-${b.docNo}-10-open`))).click();
      await type(d, byTest('field-dispatchSeq'), '1');
      await type(d, byTest('field-stationCode'), 'NO-SUCH-ST');
      await choose(d, byTest('field-cause'), '需求变化');
      await type(d, byTest('field-reason'), '客户催货，提前加工');
      await (await visible(d, byTest(`dispatch-${b.docNo}-10-submit`))).click();
      const stationError = await (await visible(d, fieldErrorOf('field-stationCode'))).getText();
      ctx.assert(stationError.length > 0, 'the unknown station shows no error at its field');
      ctx.record('dispatchFieldError', stationError);
      await step(s, ctx, 'dispatch-field-error');
      const stationInput = await visible(d, byTest('field-stationCode'));
      await stationInput.sendKeys(Key.CONTROL, 'a');
      await stationInput.sendKeys(Key.BACK_SPACE);
      await (await visible(d, byTest(`dispatch-${b.docNo}-10-submit`))).click();
      await d.wait(async () => (await d.findElements(By.css('.ant-drawer-open'))).length === 0, WAIT_MS, 'the dispatch drawer did not close');
      const queue = (await api('GET', '/v1/production-dispatch-list?workCentreCode=UI-WC')).json.items;
      ctx.assert(queue[0]?.orderDocNo === b.docNo && queue[0]?.operationSeq === 10 && queue[0]?.dispatchSeq === 1, `the queue after the page starts with ${JSON.stringify(queue[0])}`);
      const changes = (await api('GET', `/v1/production-orders/${b.id}/dispatch-changes`)).json.items;
      ctx.assert(changes.length === 1 && changes[0].cause === 'demand_change' && changes[0].after.dispatchSeq === 1, `the dispatch changes of ${b.docNo}: ${JSON.stringify(changes)}`);
      await d.wait(async () => (await textOf(d, 'dispatch-list')).includes(b.docNo), WAIT_MS);
      await step(s, ctx, 'dispatched');

      // Kitting: A takes 8 of the 10 parts, B (6 needed) is 4 short.
      await menu(s, '生产', '齐套分析');
      await choose(d, byTest('kitting-orders'), a.docNo);
      await choose(d, byTest('kitting-orders'), b.docNo);
      await d.wait(until.urlMatches(new RegExp(`orders=${a.id}(%2C|,)${b.id}`)), WAIT_MS, 'the orders are not in the URL in the order chosen');
      await (await visible(d, By.css('body'))).sendKeys(Key.ESCAPE);
      await d.wait(async () => (await textOf(d, 'kitting-shortages')).includes(part), WAIT_MS, 'the shortage is not listed');
      const shortages = await textOf(d, 'kitting-shortages');
      const rateB = await textOf(d, `kit-rate-${b.docNo}`);
      const rateA = await textOf(d, `kit-rate-${a.docNo}`);
      ctx.assert(/\b4 PCS\b/.test(shortages) && shortages.includes(b.docNo) && !shortages.includes(a.docNo), `the shortages read ${shortages}`);
      ctx.assert(rateA.includes('100') && rateB.includes('0.00'), `kit rates: ${a.docNo} ${rateA}, ${b.docNo} ${rateB}`);
      ctx.record('kitting', { shortages, rateA, rateB });
      await step(s, ctx, 'kitting');

      // Material issue to A from the FIFO suggestion.
      await menu(s, '生产', '生产发料');
      await choose(d, byTest('issue-order'), a.docNo);
      await d.wait(async () => (await textOf(d, 'issue-fifo')).includes(part), WAIT_MS, 'no FIFO suggestion for the part');
      await choose(d, byTest('field-warehouseId'), seeds.warehouseCode);
      await step(s, ctx, 'issue-fifo');
      await (await visible(d, byTest('issue-submit'))).click();
      const posted = await textOf(d, 'issue-posted');
      const order = (await api('GET', `/v1/production-orders/${a.id}`)).json;
      ctx.assert(order.components[0].issuedQuantity === '8' && posted.includes(part) && posted.includes('8'), `after the issue page: issued ${order.components[0].issuedQuantity}; the page says ${posted}`);
      await d.wait(async () => (await textOf(d, 'issue-documents')).includes(part), WAIT_MS, 'the issue is not listed under the order');
      await step(s, ctx, 'issued');

      // The pages in English.
      await language(d, 'English');
      await d.get(`${s.target.baseUrl}/production/kitting?orders=${a.id},${b.id}`);
      await d.wait(async () => (await textOf(d, 'kitting-shortages')).includes(part), WAIT_MS, 'the English kitting page shows no shortage');
      await step(s, ctx, 'kitting-en');
      await d.get(`${s.target.baseUrl}/production/mrp/${runId}`);
      await visible(d, byTest('mrp-planned'));
      await step(s, ctx, 'mrp-run-en');
      await d.get(`${s.target.baseUrl}/production/dispatch?workCentre=UI-WC`);
      await visible(d, byTest('dispatch-list'));
      await step(s, ctx, 'dispatch-en');
      await d.get(`${s.target.baseUrl}/production/issue?order=${a.id}`);
      await visible(d, byTest('issue-documents'));
      await step(s, ctx, 'issue-en');
      await language(d, '简体中文');
    },
  };
}
