/**
 * The quality pages in the ui suite (S1-6.2.2, S1-6.2.3-b): an inspector opens an inspection order
 * from the list filtered in the URL, records every sample's items (a measured value with too many
 * decimals first, whose error must show next to its cell), reads the automatic judgement, and
 * disposes of the lot under concession (the missing approver shows next to its field); the
 * standards and plans lists; the inspection page and the standards in English too. The defect
 * code, standard, plan and the inspection order itself come from the API (the quality engineer's
 * and the planner's work).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { By, until } from 'selenium-webdriver';
import type { Check, CheckContext } from '../types.js';
import { WAIT_MS, apiOf, byTest, choose, expectOk, fieldErrorOf, language, menu, signIn, step, textOf, toastsGone, type, visible, type Session } from './ui-browser.js';
import type { ShopFloor } from './ui-shopfloor.js';

const CLAUSES = ['S1-6.2.2', 'S1-6.2.3-b'];

export function qualityFlow(s: Session, floor: ShopFloor): Check {
  return {
    id: 'ui/quality-flow',
    title: 'an inspector opens an inspection from the filtered list, records every sample (too many decimals shows its error at the cell), sees the automatic judgement, disposes of the lot under concession (a missing approver shows at its field); standards and plans are listed; the pages read in English too',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const d = s.driver;
      const api = apiOf(s.target, s.tenant.adminKey);
      const sfx = randomBytes(2).toString('hex').toUpperCase();
      const made = async (path: string, body: unknown) => (await expectOk(api('POST', path, body), path)).json;
      await made('/v1/quality-defect-codes', { code: `SCR-${sfx}`, name: '划伤', severity: 'minor' });
      const standard = await made('/v1/quality-standards', {
        code: `UI-STD-${sfx}`, name: '落地扇成品检验标准', materialId: floor.product.id,
        items: [
          { code: 'DIA', name: '轴径', kind: 'quantitative', nominal: '10.00', lowerLimit: '9.95', upperLimit: '10.05', unit: 'mm', decimals: 2 },
          { code: 'LOOK', name: '外观', kind: 'qualitative', defectCode: `SCR-${sfx}` },
        ],
      });
      const plan = await made('/v1/quality-plans', { code: `UI-QP-${sfx}`, name: '成品抽检', inspectionType: 'final', standardId: standard.id, sampling: 'fixed', sampleSize: 2, acceptNumber: 0 });
      const inspection = await made('/v1/quality-inspections', { planId: plan.id, materialId: floor.product.id, lotSize: '10', batchNo: `B-${sfx}` });
      ctx.record('inspection', inspection.docNo);

      await d.manage().window().setRect({ width: 1366, height: 900 });
      await signIn(s);
      await menu(s, '质量', '检验单');
      await choose(d, byTest('filter-status'), '待检验');
      await (await visible(d, byTest('filter-search'))).click();
      await d.wait(until.urlContains('status=open'), WAIT_MS);
      await (await visible(d, byTest(`inspection-${inspection.docNo}`))).click();
      await visible(d, byTest('results-grid'));
      await step(s, ctx, 'quality-inspection-open');

      // Sample 1 measured to three decimals (the item takes two): refused, the error at that cell.
      await type(d, byTest('result-1-DIA'), '10.012');
      await type(d, byTest('result-2-DIA'), '10.30');
      await (await visible(d, byTest('results-submit'))).click();
      const cellError = await (await visible(d, fieldErrorOf('result-1-DIA'))).getText();
      ctx.assert(cellError.length > 0, 'the refused value shows no error at its cell');
      ctx.record('resultFieldError', cellError);
      await step(s, ctx, 'quality-result-field-error');

      // Corrected; sample 2 is also scratched: 1 defective piece, Ac 0 → the lot is defective.
      await type(d, byTest('result-1-DIA'), '10.01');
      await choose(d, byTest('result-2-LOOK'), '不合格');
      await choose(d, byTest(`defect-2-LOOK`), `SCR-${sfx}`);
      await (await visible(d, byTest('results-submit'))).click();
      await d.wait(async () => (await textOf(d, 'inspection-judgement')).includes('不合格'), WAIT_MS, 'the judgement is not shown');
      const reason = await textOf(d, 'inspection-reason');
      const table = await textOf(d, 'results-table');
      ctx.assert(table.includes('10.30') && table.includes(`SCR-${sfx}`), `the recorded results do not show the failures: ${table}`);
      const judged = (await api('GET', `/v1/quality-inspections/${inspection.id}`)).json;
      ctx.assert(judged.judgement === 'defective' && judged.defectives === 1 && judged.results.length === 4 && judged.rejectedQuantity === '10', `the inspection after the page reads ${JSON.stringify({ judgement: judged.judgement, defectives: judged.defectives, results: judged.results.length, rejected: judged.rejectedQuantity })}`);
      ctx.record('judgementReason', reason);
      await step(s, ctx, 'quality-judged');

      // Disposition: a concession without its approver first.
      await toastsGone(d);
      await (await visible(d, byTest('inspection-dispose-open'))).click();
      await choose(d, byTest('field-lines-0-kind'), '让步接收');
      await type(d, byTest('field-lines-0-quantity'), '10');
      await (await visible(d, byTest('inspection-dispose-submit'))).click();
      const approverError = await (await visible(d, fieldErrorOf('field-lines-0-approvedBy'))).getText();
      ctx.record('dispositionFieldError', approverError);
      await step(s, ctx, 'quality-disposition-field-error');
      await type(d, byTest('field-lines-0-approvedBy'), '质量经理 王工');
      await type(d, byTest('field-lines-0-reason'), '轴径超差 0.25 mm，不影响装配');
      await (await visible(d, byTest('inspection-dispose-submit'))).click();
      await d.wait(async () => (await textOf(d, 'inspection-status')) === '已关闭', WAIT_MS, 'the inspection did not close after the disposition');
      await visible(d, byTest('inspection-dispositions'));
      const closed = (await api('GET', `/v1/quality-inspections/${inspection.id}`)).json;
      ctx.assert(closed.status === 'closed' && closed.dispositions.length === 1 && closed.dispositions[0].kind === 'concession' && closed.dispositions[0].quantity === '10', `after the disposition: ${JSON.stringify({ status: closed.status, dispositions: closed.dispositions })}`);
      await step(s, ctx, 'quality-disposed');

      await menu(s, '质量', '检验标准');
      await d.wait(async () => (await textOf(d, 'quality-standards')).includes(`UI-STD-${sfx}`), WAIT_MS, 'the standard is not listed');
      await step(s, ctx, 'quality-standards');
      await menu(s, '质量', '检验方案');
      await d.wait(async () => (await textOf(d, 'quality-plans')).includes(`UI-QP-${sfx}`), WAIT_MS, 'the plan is not listed');
      await step(s, ctx, 'quality-plans');

      // The same pages in English.
      await language(d, 'English');
      await d.get(`${s.target.baseUrl}/quality/inspections/${inspection.id}`);
      await d.wait(async () => (await textOf(d, 'inspection-judgement')).includes('Defective'), WAIT_MS, 'the English page does not say Defective');
      await step(s, ctx, 'quality-inspection-en');
      await menu(s, 'Quality', 'Inspection orders');
      await visible(d, byTest('quality-inspections'));
      await step(s, ctx, 'quality-inspections-en');
      await language(d, '简体中文');
    },
  };
}

/**
 * A batch's history made through the API (bought with a supplier batch and inspected, made into a
 * product batch on the shop-floor seeds' routing UI-RT, and into a serialised meter), then traced
 * through the traceability page: forward from the raw batch to the product batch, its recall report
 * on the page, backward from the product batch to the supplier, and backward from the meter's serial
 * number to the raw batch and the supplier.
 */
export function traceFlow(s: Session, seeds: { supplierId: string; warehouseCode: string }): Check {
  return {
    id: 'ui/trace-flow',
    title: 'a quality engineer traces a raw batch forward to the product batch made from it, reads its recall report, and traces the product batch and a serial number made from the raw batch backward to the supplier, on the traceability page',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const d = s.driver;
      const api = apiOf(s.target, s.tenant.adminKey);
      const sfx = randomBytes(2).toString('hex').toUpperCase();
      const made = async (path: string, body?: unknown) => (await expectOk(api('POST', path, body), path)).json;
      const raw = `UI-RAW-${sfx}`;
      const product = `UI-PRD-${sfx}`;
      await made('/v1/materials', { code: raw, name: '电机线圈', baseUnit: 'PCS', tracking: 'batch' });
      await made('/v1/materials', { code: product, name: '电机总成', baseUnit: 'PCS', tracking: 'batch', defaultRouting: 'UI-RT' });
      const bom = await made('/v1/boms', { materialCode: product, type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: raw, quantity: '1', operationSeq: 10 }] });
      await made(`/v1/boms/${bom.id}/release`, { version: bom.version });
      const po = await made('/v1/purchase-orders', { supplierId: seeds.supplierId, lines: [{ materialCode: raw, quantity: '10' }] });
      await made(`/v1/purchase-orders/${po.id}/approve`, { version: po.version });
      const receipt = await made('/v1/purchase-receipts', { orderId: po.id, lines: [{ orderLineId: po.lines[0].id, quantity: '10' }] });
      await made(`/v1/purchase-receipts/${receipt.id}/inspections`, { inspector: 'QC', lines: [{ receiptLineId: receipt.lines[0].id, accepted: '10', rejected: '0', warehouseCode: seeds.warehouseCode }] });
      const rawBatch: string = receipt.lines[0].batchNo;
      const planned = await made('/v1/production-orders', { materialCode: product, quantity: '4', plannedStart: '2026-03-02', plannedFinish: '2026-03-03' });
      const order = await made(`/v1/production-orders/${planned.id}/release`, { version: planned.version });
      await made(`/v1/production-orders/${order.id}/issues`, { warehouseCode: seeds.warehouseCode });
      for (const seq of [10, 20]) await made(`/v1/production-orders/${order.id}/reports`, { operationSeq: seq, goodQuantity: '4', operator: 'OP-7' });
      const productBatch = `P-${sfx}`;
      await made(`/v1/production-orders/${order.id}/receipts`, { warehouseCode: seeds.warehouseCode, lines: [{ quantity: '4', batchNo: productBatch }] });
      ctx.record('batches', { rawBatch, productBatch });
      // A serialised meter made of one piece of the same raw batch (no routing: made and received).
      const meter = `UI-MTR-${sfx}`;
      const serialNo = `SN-${sfx}-1`;
      await made('/v1/materials', { code: meter, name: '智能电表', baseUnit: 'PCS', tracking: 'serial' });
      const meterBom = await made('/v1/boms', { materialCode: meter, type: 'manufacturing', effectiveFrom: '2026-01-01', lines: [{ materialCode: raw, quantity: '1' }] });
      await made(`/v1/boms/${meterBom.id}/release`, { version: meterBom.version });
      const meterPlanned = await made('/v1/production-orders', { materialCode: meter, quantity: '1', workshopCode: 'UI-WS', plannedStart: '2026-03-04', plannedFinish: '2026-03-05' });
      const meterOrder = await made(`/v1/production-orders/${meterPlanned.id}/release`, { version: meterPlanned.version });
      await made(`/v1/production-orders/${meterOrder.id}/issues`, { warehouseCode: seeds.warehouseCode });
      await made(`/v1/production-orders/${meterOrder.id}/receipts`, { warehouseCode: seeds.warehouseCode, lines: [{ quantity: '1', serialNos: [serialNo] }] });
      ctx.record('serial', { serialNo, order: meterOrder.docNo });

      await d.manage().window().setRect({ width: 1366, height: 900 });
      await signIn(s);
      await menu(s, '质量', '批次追溯');
      await type(d, byTest('trace-no'), rawBatch);
      await (await visible(d, By.xpath(`//label[.//span[normalize-space(.)='正向（去向与客户）']]`))).click();
      await (await visible(d, byTest('trace-search'))).click();
      await d.wait(until.urlContains('direction=forward'), WAIT_MS);
      await d.wait(async () => (await textOf(d, 'trace-tree')).includes(productBatch), WAIT_MS, `the forward tree does not reach ${productBatch}`);
      await step(s, ctx, 'trace-forward');
      await (await visible(d, byTest('recall-load'))).click();
      const summary = await textOf(d, 'recall-summary');
      const recall = await textOf(d, 'recall');
      ctx.assert(recall.includes(productBatch) && recall.includes('在库'), `the recall report does not list the product batch in stock: ${recall}`);
      ctx.record('recall', summary);
      await step(s, ctx, 'trace-recall');
      // The recall report's CSV, as the browser saves it.
      await (await visible(d, byTest('recall-csv'))).click();
      const file = path.join(s.downloads, `recall-${rawBatch}.csv`);
      await d.wait(async () => existsSync(file) && readFileSync(file, 'utf8').includes(productBatch), WAIT_MS, `the recall CSV ${file} was not saved with ${productBatch}`);
      const csv = readFileSync(file, 'utf8');
      ctx.assert(csv.includes(product) && csv.split('\n').filter(Boolean).length >= 2, `the recall CSV reads ${csv.slice(0, 300)}`);
      ctx.record('recallCsvLines', csv.split('\n').filter(Boolean).length);

      await type(d, byTest('trace-no'), productBatch);
      await (await visible(d, By.xpath(`//label[.//span[normalize-space(.)='反向（用料与来源）']]`))).click();
      await (await visible(d, byTest('trace-search'))).click();
      await d.wait(until.urlContains('direction=backward'), WAIT_MS);
      await d.wait(async () => {
        const tree = await textOf(d, 'trace-tree');
        return tree.includes(rawBatch) && tree.includes('UI-SUP');
      }, WAIT_MS, `the backward tree does not reach ${rawBatch} and the supplier`);
      await (await visible(d, By.xpath(`//*[@data-testid='trace-tree']//span[contains(@class,'ant-tree-title') and starts-with(normalize-space(.), '${product}')]`))).click();
      const node = await textOf(d, 'trace-node');
      ctx.assert(node.includes(order.docNo) && node.includes('OP-7'), `the product batch's details do not name its order and operator: ${node}`);
      await step(s, ctx, 'trace-backward');

      // The meter by its serial number, backward: the raw batch and its supplier; the serial's own details; no recall report (that is a batch's).
      await (await visible(d, By.xpath(`//label[contains(@class,'ant-radio-button-wrapper')][.//span[normalize-space(.)='序列号']]`))).click();
      await type(d, byTest('trace-no'), serialNo);
      await (await visible(d, byTest('trace-search'))).click();
      await d.wait(until.urlContains(`kind=serial&no=${serialNo}&direction=backward`), WAIT_MS, 'the serial search is not in the URL');
      await d.wait(async () => {
        const tree = await textOf(d, 'trace-tree');
        return tree.includes(`序列号 ${serialNo}`) && tree.includes(rawBatch) && tree.includes('UI-SUP');
      }, WAIT_MS, `the serial's backward tree does not reach ${rawBatch} and the supplier`);
      const serialTree = await textOf(d, 'trace-tree');
      ctx.assert(!serialTree.includes(productBatch), `the serial's tree shows the product batch ${productBatch}, which it was not made with: ${serialTree}`);
      await (await visible(d, By.xpath(`//*[@data-testid='trace-tree']//span[contains(@class,'ant-tree-title') and starts-with(normalize-space(.), '${meter}')]`))).click();
      const serialNode = await textOf(d, 'trace-node');
      ctx.assert(serialNode.includes(serialNo) && serialNode.includes(meterOrder.docNo) && serialNode.includes(`${seeds.warehouseCode}: 1 PCS`), `the serial's details do not name its number, order and stock: ${serialNode}`);
      ctx.assert((await d.findElements(byTest('recall-load'))).length === 0, 'a serial trace offers the recall report of a batch');
      ctx.record('serialNode', serialNode);
      await step(s, ctx, 'trace-serial');
      await language(d, 'English');
      await d.wait(async () => (await textOf(d, 'trace-tree')).includes(`Serial ${serialNo}`) && (await textOf(d, 'trace-tree')).includes(`Batch ${rawBatch}`), WAIT_MS, 'the tree does not read in English');
      await step(s, ctx, 'trace-backward-en');
      await language(d, '简体中文');
    },
  };
}

/**
 * A quality engineer sets up inspection through the create forms (S1-5.4.5-a, -b): a standard with
 * a measured item (a decimal comma first, whose error must show next to that item's field), a plan
 * drawing a fixed sample from it, and a manual inspection order of a lot; the inspector records an
 * out-of-limits value, and the lot judged defective is reviewed to good with a reason on the
 * review form. Then the same three forms in English, where any Chinese text left in a form fails
 * the check. The material comes from the API.
 */
export function qualitySetup(s: Session): Check {
  return {
    id: 'ui/quality-setup',
    title: 'a quality engineer creates a standard (a decimal comma shows its error at the item\'s field), a plan and a manual inspection order through the forms; the lot judged defective is reviewed to good on the review form; the three forms again in English, with no text left in Chinese',
    clauses: CLAUSES,
    async run(ctx: CheckContext) {
      const d = s.driver;
      const api = apiOf(s.target, s.tenant.adminKey);
      const sfx = randomBytes(2).toString('hex').toUpperCase();
      const material = `UI-SHAFT-${sfx}`;
      await expectOk(api('POST', '/v1/materials', { code: material, name: '电机轴', baseUnit: 'PCS' }), 'material');
      const std = `UI-STD2-${sfx}`;
      const plan = `UI-QP2-${sfx}`;

      await d.manage().window().setRect({ width: 1366, height: 900 });
      await signIn(s);
      await menu(s, '质量', '检验标准');
      await (await visible(d, byTest('new-standard-open'))).click();
      await type(d, byTest('field-code'), std);
      await type(d, byTest('field-name'), '电机轴外径检验');
      await choose(d, byTest('field-materialId'), material);
      await type(d, byTest('field-items-0-code'), 'OD');
      await type(d, byTest('field-items-0-name'), '外径');
      await choose(d, byTest('field-items-0-kind'), '定量');
      await type(d, byTest('field-items-0-lowerLimit'), '9,90');
      await type(d, byTest('field-items-0-upperLimit'), '10.10');
      await type(d, byTest('field-items-0-unit'), 'mm');
      await type(d, byTest('field-items-0-decimals'), '2');
      await (await visible(d, byTest('new-standard-submit'))).click();
      const limitError = await (await visible(d, fieldErrorOf('field-items-0-lowerLimit'))).getText();
      ctx.assert(limitError.length > 0, 'the decimal comma shows no error at the item\'s lower limit');
      ctx.record('standardFieldError', limitError);
      await step(s, ctx, 'quality-standard-field-error');
      await type(d, byTest('field-items-0-lowerLimit'), '9.90');
      await (await visible(d, byTest('new-standard-submit'))).click();
      await d.wait(async () => (await textOf(d, 'quality-standards')).includes(std), WAIT_MS, 'the new standard is not listed');
      await step(s, ctx, 'quality-standard-created');

      await menu(s, '质量', '检验方案');
      await (await visible(d, byTest('new-plan-open'))).click();
      await type(d, byTest('field-code'), plan);
      await type(d, byTest('field-name'), '电机轴抽检');
      await choose(d, byTest('field-inspectionType'), '成品检验');
      await choose(d, byTest('field-standardId'), std);
      await choose(d, byTest('field-sampling'), '固定抽样');
      await type(d, byTest('field-sampleSize'), '1');
      await type(d, byTest('field-acceptNumber'), '0');
      await (await visible(d, byTest('new-plan-submit'))).click();
      await d.wait(async () => (await textOf(d, 'quality-plans')).includes(plan), WAIT_MS, 'the new plan is not listed');
      await step(s, ctx, 'quality-plan-created');

      await menu(s, '质量', '检验单');
      await (await visible(d, byTest('new-inspection-open'))).click();
      await choose(d, byTest('field-planId'), plan);
      await choose(d, byTest('field-materialId'), material);
      await type(d, byTest('field-lotSize'), '5');
      await type(d, byTest('field-batchNo'), `S-${sfx}`);
      await (await visible(d, byTest('new-inspection-submit'))).click();
      await visible(d, byTest('results-grid'));
      const id = (await d.getCurrentUrl()).match(/\/quality\/inspections\/([0-9a-f-]{36})/)?.[1];
      ctx.assert(id, 'the new inspection did not open');
      await type(d, byTest('result-1-OD'), '10.25');
      await (await visible(d, byTest('results-submit'))).click();
      await d.wait(async () => (await textOf(d, 'inspection-judgement')).includes('不合格'), WAIT_MS, 'the out-of-limits value was not judged defective');
      await step(s, ctx, 'quality-manual-judged');

      await toastsGone(d);
      await (await visible(d, byTest('inspection-review-open'))).click();
      await choose(d, byTest('field-judgement'), '合格');
      await type(d, byTest('field-reason'), '复测 10.05 mm，原读数为量具误差');
      await (await visible(d, byTest('inspection-review-submit'))).click();
      await d.wait(async () => { const j = await textOf(d, 'inspection-judgement'); return j.includes('合格') && !j.includes('不合格'); }, WAIT_MS, 'the reviewed judgement is not shown');
      const reviewed = (await api('GET', `/v1/quality-inspections/${id}`)).json;
      ctx.assert(reviewed.judgement === 'good' && reviewed.reviewedAt && reviewed.planCode === plan && reviewed.lotSize === '5' && reviewed.results.length === 1, `the inspection after the review reads ${JSON.stringify({ judgement: reviewed.judgement, reviewedAt: reviewed.reviewedAt, plan: reviewed.planCode, lot: reviewed.lotSize, results: reviewed.results?.length })}`);
      ctx.record('reviewed', { docNo: reviewed.docNo, judgement: reviewed.judgement });
      await step(s, ctx, 'quality-reviewed');

      // The same three forms in English, filled with English words: any Chinese left in a form is a text not translated.
      await language(d, 'English');
      const chineseIn = async (what: string, data: string[] = []) => {
        const text = data.reduce((x, word) => x.split(word).join(''), await (await visible(d, By.css('.ant-drawer-open .ant-drawer-section'))).getText());
        const left = text.match(/[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+/g);
        ctx.assert(!left, `the ${what} form in English still reads ${JSON.stringify(left)}`);
      };
      await menu(s, 'Quality', 'Inspection standards');
      await (await visible(d, byTest('new-standard-open'))).click();
      await type(d, byTest('field-code'), `${std}-EN`);
      await type(d, byTest('field-name'), 'Shaft diameter');
      await choose(d, byTest('field-materialId'), material);
      await type(d, byTest('field-items-0-code'), 'OD');
      await type(d, byTest('field-items-0-name'), 'Outer diameter');
      await choose(d, byTest('field-items-0-kind'), 'Measured');
      await type(d, byTest('field-items-0-lowerLimit'), '9,90');
      await type(d, byTest('field-items-0-upperLimit'), '10.10');
      await type(d, byTest('field-items-0-unit'), 'mm');
      await type(d, byTest('field-items-0-decimals'), '2');
      await (await visible(d, byTest('new-standard-submit'))).click();
      const limitErrorEn = await (await visible(d, fieldErrorOf('field-items-0-lowerLimit'))).getText();
      ctx.record('standardFieldErrorEn', limitErrorEn);
      await chineseIn('standard', ['电机轴']);
      const alertEn = await textOf(d, 'error-alert');
      ctx.assert(alertEn.includes('One entry is not right'), `the form's summary of one refused entry reads: ${alertEn}`);
      await step(s, ctx, 'quality-standard-field-error-en');
      await type(d, byTest('field-items-0-lowerLimit'), '9.90');
      await (await visible(d, byTest('new-standard-submit'))).click();
      await d.wait(async () => (await textOf(d, 'quality-standards')).includes(`${std}-EN`), WAIT_MS, 'the English standard is not listed');

      await menu(s, 'Quality', 'Inspection plans');
      await (await visible(d, byTest('new-plan-open'))).click();
      await type(d, byTest('field-code'), `${plan}-EN`);
      await type(d, byTest('field-name'), 'Shaft sampling');
      await choose(d, byTest('field-inspectionType'), 'Final');
      await choose(d, byTest('field-standardId'), `${std}-EN`);
      await choose(d, byTest('field-sampling'), 'Fixed sample');
      await type(d, byTest('field-sampleSize'), '2');
      await type(d, byTest('field-acceptNumber'), '0');
      await chineseIn('plan');
      await step(s, ctx, 'quality-plan-form-en');
      await (await visible(d, byTest('new-plan-submit'))).click();
      await d.wait(async () => (await textOf(d, 'quality-plans')).includes(`${plan}-EN`), WAIT_MS, 'the English plan is not listed');

      await menu(s, 'Quality', 'Inspection orders');
      await (await visible(d, byTest('new-inspection-open'))).click();
      await choose(d, byTest('field-planId'), `${plan}-EN`);
      await choose(d, byTest('field-materialId'), material);
      await type(d, byTest('field-batchNo'), `E-${sfx}`);
      await (await visible(d, byTest('new-inspection-submit'))).click();
      await visible(d, fieldErrorOf('field-lotSize'));
      await chineseIn('inspection', ['电机轴']);
      await step(s, ctx, 'quality-inspection-form-en');
      await type(d, byTest('field-lotSize'), '6');
      await (await visible(d, byTest('new-inspection-submit'))).click();
      await visible(d, byTest('results-grid'));
      const enId = (await d.getCurrentUrl()).match(/\/quality\/inspections\/([0-9a-f-]{36})/)?.[1];
      const en = (await api('GET', `/v1/quality-inspections/${enId}`)).json;
      ctx.assert(en.planCode === `${plan}-EN` && en.lotSize === '6' && en.sampleSize === 2 && en.status === 'open', `the inspection made in English reads ${JSON.stringify({ plan: en.planCode, lot: en.lotSize, sample: en.sampleSize, status: en.status })}`);
      await step(s, ctx, 'quality-inspection-en-created');
      await language(d, '简体中文');
    },
  };
}
