// Type declarations for `consent-gate/react`.
import type { ReactNode } from "react";
import type { CategoryName } from "./consent-gate.js";

/**
 * Whether `category` (an id such as "performance", an alias, or a service id)
 * is granted, as `ConsentGate.accepted()` answers (`false` before `ready`, except
 * "essential"); `false` on the server and while hydrating. The component
 * re-renders on every decision and once the stored decision is known.
 * Throws a TypeError for a non-string.
 */
export declare function useConsent(category: CategoryName | (string & {})): boolean;

export interface GatedProps {
  /** The category (or alias, or service id) that must be granted. */
  category: CategoryName | (string & {});
  /** Rendered while it is granted. */
  children?: ReactNode;
  /** Rendered while it is not (default: nothing). */
  fallback?: ReactNode;
}

/** Renders `children` only while `category` is granted, else `fallback`. */
export declare function Gated(props: GatedProps): ReactNode;
