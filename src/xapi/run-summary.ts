/**
 * The vocabulary of a run shared by every importer: records as read from a source
 * (`Sourced`), rejections as data (`Rejection`), and the run summary of DESIGN.md
 * ("Interfaces"). Bad input never throws: it becomes a rejection, is counted, and the
 * run goes on.
 */
import { escapeUnstorable } from './storable.js';

/** A record read from a source, or why it could not be read; `at` is `file:line` or a record key. */
export type Sourced<T> =
  | { ok: true; at: string; record: T }
  | { ok: false; at: string; rejection: Rejection };

/** Why a record or statement was rejected. */
export type RejectionCode = 'unreadable' | 'missing_field' | 'bad_value' | 'invalid_statement' | 'untranslatable' | 'unstorable';

/** One rejected record: where, why, and the offending field when there is one. */
export interface Rejection {
  code: RejectionCode;
  field?: string;
  detail: string;
}

/**
 * The one-line reason of a rejection, built in one place for every code. U+0000 and lone
 * surrogates are escaped: the reason is stored in text and jsonb columns, which refuse them.
 */
export function rejectionReason(r: Rejection): string {
  return escapeUnstorable(reasonText(r));
}

function reasonText(r: Rejection): string {
  switch (r.code) {
    case 'unreadable':
      return `cannot be read: ${r.detail}`;
    case 'missing_field':
      return `missing field ${r.field ?? '?'}${r.detail ? `: ${r.detail}` : ''}`;
    case 'bad_value':
      return `bad value in ${r.field ?? '?'}: ${r.detail}`;
    case 'invalid_statement':
      return `statement is not valid xAPI: ${r.detail}`;
    case 'untranslatable':
      return `cannot be translated: ${r.detail}`;
    case 'unstorable':
      return `cannot be stored: ${r.detail}`;
  }
}

/** Counts of one source type. */
export interface TypeCounts {
  translated: number;
  ignored: number;
  rejected: number;
  /** The ignored records by reason, where the importer gives one. */
  ignoredBy?: Record<string, number>;
  /** Records of learners erased at their request, dropped (see `RunSummary.erased`). */
  erased?: number;
  /** Records of learners the platform erased (see `RunSummary.erasedByPlatform`). */
  erasedByPlatform?: number;
}

/** The summary of a translate or import run (DESIGN.md, "Interfaces"). */
export interface RunSummary {
  read: number;
  translated: number;
  statements: number;
  ignored: number;
  rejected: number;
  byType: Record<string, TypeCounts>;
  /** The ignored records by reason, where the importer gives one (edX: "browser echo of a server event", ...). */
  ignoredBy?: Record<string, number>;
  errors: { at: string; reason: string }[];
  /** Translated records whose learner is named by a username no record tied to a user id (edX). */
  unresolved?: number;
  /** Statements new to the outbox, and statements it already held (import only). */
  added?: number;
  known?: number;
  /** Statements stored with U+FFFD in place of U+0000 or lone surrogates (UNSTORABLE_TEXT=replace). */
  replaced?: number;
  /** Records of learners erased at their request (erased_learners), dropped unstored; present once the platform has erasures. */
  erased?: number;
  /** Records of learners the platform itself erased (FutureLearn: an empty learner_id): no error, no statement. */
  erasedByPlatform?: number;
}

/** How many rejections a summary lists; the rest are only counted (all are stored). */
export const SUMMARY_ERROR_LIMIT = 20;

/** Accumulates a run summary. */
export class SummaryCounter {
  readonly summary: RunSummary = { read: 0, translated: 0, statements: 0, ignored: 0, rejected: 0, byType: {}, errors: [] };

  private of(type: string): TypeCounts {
    // Source types come from the data (edX event types): the summary is stored as jsonb.
    return (this.summary.byType[escapeUnstorable(type)] ??= { translated: 0, ignored: 0, rejected: 0 });
  }

  /** A record that became `statements` statements; `unresolved` when its learner is known by username only. */
  translated(type: string, statements: number, unresolved = false): void {
    if (unresolved) this.summary.unresolved = (this.summary.unresolved ?? 0) + 1;
    this.summary.read += 1;
    this.summary.translated += 1;
    this.summary.statements += statements;
    this.of(type).translated += 1;
  }

  /** A record that gives no statement without being wrong, for `reason` when the importer names one. */
  ignored(type: string, reason?: string): void {
    this.summary.read += 1;
    this.summary.ignored += 1;
    const counts = this.of(type);
    counts.ignored += 1;
    if (reason === undefined) return;
    const all = (this.summary.ignoredBy ??= {});
    all[reason] = (all[reason] ?? 0) + 1;
    const ofType = (counts.ignoredBy ??= {});
    ofType[reason] = (ofType[reason] ?? 0) + 1;
  }

  /** A record of an erased learner, dropped: neither stored nor kept as a rejection. */
  erased(type: string): void {
    this.summary.read += 1;
    this.summary.erased = (this.summary.erased ?? 0) + 1;
    const counts = this.of(type);
    counts.erased = (counts.erased ?? 0) + 1;
  }

  /** A record of a learner the platform erased: read, not an error, no statement. */
  erasedByPlatform(type: string): void {
    this.summary.read += 1;
    this.summary.erasedByPlatform = (this.summary.erasedByPlatform ?? 0) + 1;
    const counts = this.of(type);
    counts.erasedByPlatform = (counts.erasedByPlatform ?? 0) + 1;
  }

  /** A record that was rejected at `at`. */
  rejected(type: string, at: string, rejection: Rejection): void {
    this.summary.read += 1;
    this.summary.rejected += 1;
    this.of(type).rejected += 1;
    this.listError(at, rejection);
  }

  /**
   * A translated record of which the database refused `statements` statements after all:
   * it moves from translated to rejected, and the refused statements leave the count.
   */
  refused(type: string, at: string, statements: number, rejection: Rejection): void {
    this.summary.translated -= 1;
    this.summary.statements -= statements;
    this.of(type).translated -= 1;
    this.summary.rejected += 1;
    this.of(type).rejected += 1;
    this.listError(at, rejection);
  }

  private listError(at: string, rejection: Rejection): void {
    if (this.summary.errors.length < SUMMARY_ERROR_LIMIT) this.summary.errors.push({ at, reason: rejectionReason(rejection) });
  }
}
