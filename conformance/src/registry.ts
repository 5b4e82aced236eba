/**
 * The clause registry: every S1 chapter 6 test clause, the tenant-isolation clauses of 5.3.2 and
 * the functional clauses of 5.4 (checked through the API), the technical requirements the platform
 * profile measures (5.3.3-a, 5.3.4, 5.3.6, 5.3.7), from requirements.json (synced from the
 * requirement digest by scripts/sync-requirements.mjs), grouped into profiles.
 */
import { readFileSync } from 'node:fs';
import { BUSINESS_CLAUSES } from './suites/business/index.js';
import type { Suite } from './types.js';

export interface Requirement {
  id: string;
  text: string;
  section: string;
}

export interface Clause extends Requirement {
  profiles: string[];
}

export interface Profile {
  name: string;
  description: string;
  /** Suite ids that run in this profile. */
  suites: string[];
  clauses: string[];
}

export const REQUIREMENTS_FILE = new URL('../requirements.json', import.meta.url);

export function loadRequirements(): Requirement[] {
  const all = JSON.parse(readFileSync(REQUIREMENTS_FILE, 'utf8')) as Requirement[];
  const seen = new Set<string>();
  return all.filter((r) => !seen.has(r.id) && seen.add(r.id));
}

/**
 * The technical requirements the platform profile measures: 5.3.3-a scaling, 5.3.4 upgrade, 5.3.6
 * fault diagnosis, 5.3.7 failover and availability.
 */
export const PLATFORM_TECHNICAL = ['S1-5.3.3-a', 'S1-5.3.4', 'S1-5.3.6', 'S1-5.3.7-a', 'S1-5.3.7-b'];

/** The operations requirements of chapter 8 that a check can prove through the API: 8.4 backups verified by drills. */
export const OPERATIONS = ['S1-8.4'];
/** The security requirement the equipment suite proves through the signed telemetry upload: 5.2.2.1-a signing and verification of interface data. */
export const SECURITY_GATEWAY = ['S1-5.2.2.1-a'];

/**
 * In the registry: chapter 6, tenant isolation (5.3.2), the business functions (5.4.x),
 * PLATFORM_TECHNICAL, SECURITY_GATEWAY, OPERATIONS and the go-live cutover (7.3-a/b/c; 7.1 and 7.2
 * are people's work).
 */
export function inRegistry(id: string): boolean {
  return /^S1-6\./.test(id) || /^S1-5\.4\.\d/.test(id) || /^S1-5\.3\.2-/.test(id) || /^S1-7\.3-/.test(id) || PLATFORM_TECHNICAL.includes(id) || SECURITY_GATEWAY.includes(id) || OPERATIONS.includes(id);
}

const CORE = ['S1-5.3.2-a', 'S1-5.3.2-b', 'S1-6.1-b', 'S1-6.1-e', 'S1-6.2.3-a', 'S1-5.4.3-a', 'S1-5.4.3-b', 'S1-5.4.3-g', 'S1-5.4.3-j', 'S1-5.4.3-k', ...BUSINESS_CLAUSES];
/** The suites any target is tested with, in run order. */
const API_SUITES = ['isolation', 'api-automation', 'business'];
/**
 * S1-6.1-a by the deployment suite (the @mes/infra plans of every target; needs no platform), the
 * others by the resilience suites on a platform driver (--platform).
 */
const PLATFORM = ['S1-6.1-a', 'S1-6.1-c', 'S1-6.1-d', 'S1-6.1-f', 'S1-6.1-g', ...PLATFORM_TECHNICAL];
/**
 * Proved by the ui suite through the target's web console; 5.4.4-l's e-kanban is a page, so the
 * workshop board's check proves it there too, as the planner's pages do material issue (-f),
 * dispatching (-j), MRP and kitting (-k).
 */
const UI = ['S1-6.2.2', 'S1-6.2.3-b', 'S1-5.4.4-l', 'S1-5.4.4-f', 'S1-5.4.4-j', 'S1-5.4.4-k'];
/** The platform profile's suites, in run order. */
const PLATFORM_SUITES = ['deployment', 'failover', 'upgrade', 'scaling', 'diagnosis'];
/** Proved by the production suite through the API: engineering data, orders, planning, the shop floor. */
const PRODUCTION = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'].map((x) => `S1-5.4.4-${x}`).concat('S1-5.4.1-f');
/** Proved by the quality profile's suites through the API: quality (standards, sampling, inspections, disposition, reports) and traceability (trace and recall). */
const QUALITY = ['S1-5.4.5-a', 'S1-5.4.5-b', 'S1-5.4.5-c', 'S1-5.4.5-d', 'S1-5.4.5-e', 'S1-5.4.5-f'];
/** Proved by the equipment suite through the API, acting as its own signing edge gateway. */
const EQUIPMENT = ['S1-5.4.6-a', 'S1-5.4.6-b', 'S1-5.4.6-c', 'S1-5.4.6-d', 'S1-5.4.6-e', 'S1-5.4.6-f', 'S1-6.1-h', ...SECURITY_GATEWAY];
/** Proved by the cutover suite: a small cutover run against the target. */
const CUTOVER = ['S1-7.3-a', 'S1-7.3-b', 'S1-7.3-c'];

export function profiles(): Profile[] {
  const registry = loadRequirements().filter((r) => inRegistry(r.id)).map((r) => r.id);
  return [
    { name: 'core', description: 'Tenant isolation, API automation and the business functions against any target: what CI runs', suites: API_SUITES, clauses: CORE },
    { name: 'ui', description: 'The web console, PDA pages and boards in a real browser (Selenium, Chromium): needs the console at /', suites: ['ui'], clauses: UI },
    { name: 'platform', description: 'Deployment plans of every target; failover, upgrade and rollback, elastic scaling, fault diagnosis (these need --platform local|kubernetes)', suites: PLATFORM_SUITES, clauses: PLATFORM },
    { name: 'production', description: 'Production through the API: engineering data (material parameters, BOMs, routings, drawings), orders, MRP and kitting, issue, reporting, receipt, dispatching, the live board', suites: ['production'], clauses: PRODUCTION },
    { name: 'recovery', description: 'Backups verified by a drill of a tenant the run creates, through the admin API: RTO and RPO in the evidence', suites: ['recovery'], clauses: OPERATIONS },
    { name: 'quality', description: 'Quality standards, plans, AQL sampling, inspections of every type, judgement, disposition and reports; traceability from purchase through production to customer and the recall report, through the API', suites: ['quality', 'traceability'], clauses: QUALITY },
    { name: 'equipment', description: 'Equipment master, data collection in one format, status, alarms, indicators and the signed edge upload, through the API (the suite signs as a gateway)', suites: ['equipment'], clauses: EQUIPMENT },
    { name: 'cutover', description: 'Go-live cutover: a small cutover (freeze, backup point, clean, import, reconcile, rollback, go-live) run against the target through the API', suites: ['cutover'], clauses: CUTOVER },
    { name: 'full', description: 'Every clause in the registry (the resilience suites need --platform)', suites: [...API_SUITES, 'ui', 'production', 'equipment', 'quality', 'traceability', 'cutover', 'recovery', ...PLATFORM_SUITES], clauses: registry },
  ];
}

export function profile(name: string): Profile | undefined {
  return profiles().find((p) => p.name === name);
}

export function clauses(): Clause[] {
  const ps = profiles();
  return loadRequirements()
    .filter((r) => inRegistry(r.id))
    .map((r) => ({ ...r, profiles: ps.filter((p) => p.clauses.includes(r.id)).map((p) => p.name) }));
}

/** Registry clauses that no suite proves. */
export function coverage(suites: Suite[], flowClauses: string[]): { proved: Array<{ id: string; by: string[] }>; unproved: Clause[] } {
  const by = new Map<string, string[]>();
  for (const s of suites) for (const id of s.proves) by.set(id, [...(by.get(id) ?? []), s.id]);
  for (const id of flowClauses) if (!by.get(id)?.includes('api-automation')) by.set(id, [...(by.get(id) ?? []), 'api-automation']);
  const all = clauses();
  return {
    proved: all.filter((c) => by.has(c.id)).map((c) => ({ id: c.id, by: by.get(c.id)! })),
    unproved: all.filter((c) => !by.has(c.id)),
  };
}
