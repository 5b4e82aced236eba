/**
 * What the ui suites share: one Chromium session driven by selenium-webdriver, the steps that
 * leave a screenshot and run axe and read the browser console, and the ways a person uses the
 * console (sign in, follow a menu link, type, choose in a select, click a text).
 */
import { randomBytes } from 'node:crypto';
import { AxeBuilder } from '@axe-core/webdriverjs';
import { By, Key, logging, until, type WebDriver, type WebElement } from 'selenium-webdriver';
import type { HttpTarget } from '../http.js';
import type { TestTenant } from '../tenants.js';
import type { CheckContext } from '../types.js';

export const WAIT_MS = 15_000;
export const PASSWORD = `ui-${randomBytes(9).toString('base64url')}`;

/** Network lines Chrome logs for 4xx answers the app handles (a refused bad entry); everything else counts. */
const HANDLED_HTTP = /Failed to load resource: the server responded with a status of 4\d\d/;

export interface Session {
  driver: WebDriver;
  target: HttpTarget;
  tenant: TestTenant;
  shots: number;
  consoleLog: string[];
  evidence(rel: string, content: string | Uint8Array): Promise<void>;
  /** Where the browser saves downloads (a CSV export) without asking. */
  downloads: string;
}

export function apiOf(target: HttpTarget, key: string) {
  return (method: string, path: string, body?: unknown) => target.request(method, path, { key, body });
}

export async function expectOk<T extends { status: number; text: string }>(p: Promise<T>, what: string): Promise<T> {
  const res = await p;
  if (res.status >= 300) throw new Error(`${what}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  return res;
}

/** One step: a screenshot, axe on the page, and the console so far (an error fails the check). */
export async function step(s: Session, ctx: CheckContext, name: string): Promise<void> {
  const n = String(++s.shots).padStart(2, '0');
  await s.evidence(`ui/screenshots/${n}-${name}.png`, Buffer.from(await s.driver.takeScreenshot(), 'base64'));
  const axe = await new AxeBuilder(s.driver).withTags(['wcag2a', 'wcag2aa']).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  ctx.record(`axe:${name}`, axe.violations.map((v) => `${v.impact} ${v.id} (${v.nodes.length})`));
  ctx.assert(bad.length === 0, `${name}: accessibility violations ${bad.map((v) => `${v.impact} ${v.id}: ${v.help} at ${v.nodes.slice(0, 2).map((x) => `${x.target.join(' ')} (${x.failureSummary?.replace(/\s+/g, ' ').trim()})`).join('; ')}`).join(' | ')}`);
  const entries = await s.driver.manage().logs().get(logging.Type.BROWSER);
  const lines = entries.map((e) => `${new Date(e.timestamp).toISOString()} ${e.level.name} ${e.message}`);
  s.consoleLog.push(...lines.map((l) => `[${name}] ${l}`));
  const errors = entries.filter((e) => e.level.value >= logging.Level.SEVERE.value && !HANDLED_HTTP.test(e.message));
  ctx.assert(errors.length === 0, `${name}: the browser console has errors: ${errors.map((e) => e.message).join(' | ')}`);
}

export const byTest = (id: string) => By.css(`[data-testid="${id}"]`);

/** Toasts (antd messages) sit over the header for a few seconds: wait them out before clicking there. */
export async function toastsGone(d: WebDriver, ms = WAIT_MS): Promise<void> {
  await d.wait(async () => (await d.findElements(By.css('.ant-message-notice'))).length === 0, ms, 'waiting for the messages to go');
}

export async function visible(d: WebDriver, locator: By, ms = WAIT_MS): Promise<WebElement> {
  const el = await d.wait(until.elementLocated(locator), ms, `waiting for ${locator}`);
  await d.wait(until.elementIsVisible(el), ms, `waiting for ${locator} to show`);
  return el;
}

export async function type(d: WebDriver, locator: By, text: string): Promise<void> {
  const el = await visible(d, locator);
  // clear() does not reach React's onChange: select everything and type over it, as a person would.
  await el.click();
  await el.sendKeys(Key.CONTROL, 'a');
  await el.sendKeys(Key.BACK_SPACE);
  await el.sendKeys(text);
}

/** An antd Select: open it, type to search, pick the option whose text contains `text`. */
export async function choose(d: WebDriver, select: By, text: string): Promise<void> {
  const el = await visible(d, select);
  await el.click();
  const input = await el.findElement(By.css('input'));
  await input.sendKeys(text);
  const option = await visible(d, By.xpath(`//div[contains(@class,'ant-select-dropdown') and not(contains(@class,'hidden'))]//div[contains(@class,'ant-select-item-option') and contains(., ${JSON.stringify(text)})]`));
  await option.click();
}

export const textOf = async (d: WebDriver, testId: string) => (await visible(d, byTest(testId))).getText();

/** The error antd shows under a form field (its form item's explain line). */
export const fieldErrorOf = (testId: string) => By.xpath(`//*[@data-testid='${testId}']/ancestor::div[contains(concat(' ',normalize-space(@class),' '),' ant-form-item ')][1]//div[contains(@class,'ant-form-item-explain-error')]`);

/** The header's language picker: open it, pick the language by its name. */
export async function language(d: WebDriver, label: string): Promise<void> {
  await toastsGone(d);
  await (await visible(d, byTest('language-switch'))).click();
  await (await visible(d, By.xpath(`//div[contains(@class,'ant-select-dropdown') and not(contains(@class,'hidden'))]//div[contains(@class,'ant-select-item-option') and normalize-space(.)=${JSON.stringify(label)}]`))).click();
}

export async function clickText(d: WebDriver, text: string, tag = '*'): Promise<void> {
  const el = await visible(d, By.xpath(`//${tag}[normalize-space(.)=${JSON.stringify(text)} or .//span[normalize-space(.)=${JSON.stringify(text)}]][not(ancestor::*[contains(@style,'display: none')])]`));
  await el.click();
}

export async function signIn(s: Session, username = 'admin', password = PASSWORD): Promise<void> {
  const d = s.driver;
  await d.get(`${s.target.baseUrl}/login`);
  await d.executeScript('sessionStorage.clear(); localStorage.clear();');
  await d.get(`${s.target.baseUrl}/login`);
  await type(d, byTest('login-tenant'), s.tenant.slug);
  await type(d, byTest('login-username'), username);
  await type(d, byTest('login-password'), password);
  await (await visible(d, byTest('login-submit'))).click();
  await visible(d, byTest('current-user'));
}

/** Follows a side-menu link by its text (the menu group opened first). */
export async function menu(s: Session, group: string, item: string): Promise<void> {
  const d = s.driver;
  const link = await d.findElements(By.xpath(`//nav//a[normalize-space(.)=${JSON.stringify(item)}]`));
  if (!link.length || !(await link[0].isDisplayed())) await clickText(d, group, 'span');
  await (await visible(d, By.xpath(`//nav//a[normalize-space(.)=${JSON.stringify(item)}]`))).click();
}

