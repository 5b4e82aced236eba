import { availableParallelism } from 'node:os';
import { MesProblem } from './errors.js';

export interface LoginThrottleOptions {
  /** Wrong passwords an account may have before it backs off. */
  freeFailures: number;
  /** The first back-off; each further failure doubles it, up to maxBackoffMs. */
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** Logins one source address may try at once, and how many it regains per second. */
  sourceBurst: number;
  sourcePerSecond: number;
  /** Password hashes computed at once; further logins queue, so logins never take every core. */
  concurrentChecks: number;
}

export const LOGIN_THROTTLE_DEFAULTS: LoginThrottleOptions = {
  freeFailures: 5,
  firstBackoffMs: 5_000,
  maxBackoffMs: 15 * 60_000,
  sourceBurst: 10,
  sourcePerSecond: 1,
  concurrentChecks: Math.max(1, Math.floor(availableParallelism() / 2)),
};

interface Account {
  failures: number;
  /** No attempt before this time (ms). */
  until: number;
}

interface SourceBucket {
  tokens: number;
  refilledAt: number;
}

/** Entries kept before expired ones are swept, so made-up usernames cannot grow memory without bound. */
const SWEEP_AT = 10_000;

/**
 * Guards POST /v1/auth/login (per replica, in memory, like the plan limiter): a source address
 * gets a burst of attempts and regains them slowly; an account that had freeFailures wrong
 * passwords backs off exponentially, and while it does every attempt (the right password too) is
 * refused without a password check. Password checks run on the libuv pool (async scrypt), at most
 * concurrentChecks at once, so a flood of logins cannot take the CPU other tenants' requests need.
 */
export class LoginThrottle {
  private readonly accounts = new Map<string, Account>();
  private readonly sources = new Map<string, SourceBucket>();
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly opts: LoginThrottleOptions = LOGIN_THROTTLE_DEFAULTS) {}

  /** Throws 429 LOGIN_RATE_LIMITED when this account or this source must wait. */
  admit(source: string, account: string): void {
    const now = Date.now();
    const a = this.accounts.get(account);
    if (a && a.until > now) throw refused(a.until - now, 'this account had too many failed logins; it may try again later');
    const b = this.sources.get(source) ?? { tokens: this.opts.sourceBurst, refilledAt: now };
    b.tokens = Math.min(this.opts.sourceBurst, b.tokens + ((now - b.refilledAt) / 1000) * this.opts.sourcePerSecond);
    b.refilledAt = now;
    if (b.tokens < 1) throw refused(((1 - b.tokens) / this.opts.sourcePerSecond) * 1000, 'too many logins from this address');
    b.tokens -= 1;
    this.sources.set(source, b);
    if (this.sources.size > SWEEP_AT) this.sweep(now);
  }

  failed(account: string): void {
    const now = Date.now();
    const a = this.accounts.get(account) ?? { failures: 0, until: 0 };
    a.failures += 1;
    const over = a.failures - this.opts.freeFailures;
    if (over >= 0) a.until = now + Math.min(this.opts.maxBackoffMs, this.opts.firstBackoffMs * 2 ** Math.min(over, 20));
    this.accounts.set(account, a);
    if (this.accounts.size > SWEEP_AT) this.sweep(now);
  }

  succeeded(account: string): void {
    this.accounts.delete(account);
  }

  /** Runs a password check when a slot is free. */
  async check<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running < this.opts.concurrentChecks) this.running++;
    else await new Promise<void>((resolve) => this.queue.push(resolve)); // the slot is handed over
    try {
      return await fn();
    } finally {
      const next = this.queue.shift();
      if (next) next();
      else this.running--;
    }
  }

  private sweep(now: number): void {
    for (const [k, a] of this.accounts) if (a.until < now - this.opts.maxBackoffMs) this.accounts.delete(k);
    for (const [k, b] of this.sources) if (now - b.refilledAt > (this.opts.sourceBurst / this.opts.sourcePerSecond) * 1000) this.sources.delete(k);
  }
}

function refused(waitMs: number, why: string): MesProblem {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new MesProblem(429, 'LOGIN_RATE_LIMITED', `${why}; retry after ${seconds} s`, { headers: { 'retry-after': String(seconds) } });
}
