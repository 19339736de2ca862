import type { ConsentRecord } from "../consent-gate.js";

/** A visitor's decision, in the shape of the browser's `ConsentGate.get()` (one declaration for both). */
export type { ConsentRecord };

/**
 * The decision in a consent cookie's raw value, or `null` when the value does
 * not match the grammar exactly (truncated, tampered, out of range…) or has
 * expired at `now` (Unix seconds or a Date; default: the current time).
 */
export function readConsent(value: string, now?: number | Date): ConsentRecord | null;
