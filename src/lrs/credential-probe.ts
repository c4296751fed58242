/**
 * Whether the external LRS accepts the gateway's credentials, asked with one cheap
 * authenticated read (`GET statements?limit=1`: reports read the LRS with the same
 * credentials, so reading is what they need beside storing). The answer is kept a short
 * while, so that a load balancer polling /ready does not become the LRS's busiest client.
 */
import { NetError, safeUrl } from '../net/net-error.js';
import { LrsQueryError } from './client.js';
import type { StatementQuery } from './statement-query.js';

/** How long one probe's answer stands. */
export const PROBE_TTL_MS = 10_000;

/** What a probe found: the LRS (its URL without credentials) takes the credentials, or why not. */
export type ProbeResult = { ok: true; target: string } | { ok: false; target: string; reason: string };

/**
 * Probes the LRS at `endpoint` through `lrs` at most once per `PROBE_TTL_MS`; callers in
 * between share the last answer, or the probe in flight.
 * @example const probe = new LrsCredentialProbe(client, config.lrsEndpoint); (await probe.check()).ok
 */
export class LrsCredentialProbe {
  private last: { at: number; result: Promise<ProbeResult> } | undefined;
  private readonly target: string;

  constructor(
    private readonly lrs: Pick<StatementQuery, 'page'>,
    endpoint: string,
    private readonly now: () => number = Date.now,
  ) {
    this.target = safeUrl(endpoint);
  }

  /** The LRS's answer, at most `PROBE_TTL_MS` old. */
  check(): Promise<ProbeResult> {
    const now = this.now();
    if (this.last === undefined || now - this.last.at >= PROBE_TTL_MS) this.last = { at: now, result: this.probe() };
    return this.last.result;
  }

  private async probe(): Promise<ProbeResult> {
    try {
      await this.lrs.page({ limit: 1 });
      return { ok: true, target: this.target };
    } catch (err) {
      return { ok: false, target: this.target, reason: this.reasonOf(err) };
    }
  }

  private reasonOf(err: unknown): string {
    if (err instanceof NetError && err.fault === 'auth') {
      const refuses = err.status === 403 ? 'forbids reading with' : 'refuses';
      return `LRS at ${this.target} ${refuses} the gateway's credentials (${err.status}): check LRS_USERNAME and LRS_PASSWORD`;
    }
    if (err instanceof NetError) return err.message;
    if (err instanceof LrsQueryError) return `LRS at ${this.target} answered ${err.status} to GET statements: check LRS_ENDPOINT`;
    return `LRS at ${this.target} gave an answer that is not xAPI: check LRS_ENDPOINT`;
  }
}
