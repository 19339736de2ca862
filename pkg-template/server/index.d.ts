/** A visitor's decision, in the shape of the browser's `ConsentGate.get()`. */
export interface ConsentRecord {
  /** The record id: 32 lowercase hex digits. */
  id: string;
  /** The config revision of the decision; one older than the site's current `revision` is void. */
  revision: number;
  /** First decision, ISO-8601 UTC with milliseconds, e.g. `"2026-11-22T18:20:02.000Z"`. */
  decidedAt: string;
  /** Latest decision. */
  updatedAt: string;
  /** When the decision lapses. */
  expiresAt: string;
  /** Category grants; `essential` is always `true`. */
  categories: { essential: true; performance: boolean; functional: boolean; marketing: boolean };
  /** Per-service grants, by service id. */
  services: Record<string, boolean>;
  /** Whether Global Privacy Control was honoured. */
  gpc: boolean;
}

/**
 * The decision in a consent cookie's raw value, or `null` when the value does
 * not match the grammar exactly (truncated, tampered, out of range…) or has
 * expired at `now` (Unix seconds or a Date; default: the current time).
 */
export function readConsent(value: string, now?: number | Date): ConsentRecord | null;
