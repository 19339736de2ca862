// Type declarations for Consent Gate's JavaScript API (contract section 4).

/** A category id. Aliases are accepted wherever a category is read. */
export type Category = "essential" | "performance" | "functional" | "marketing";

/** Accepted spellings of categories: ids and aliases. */
export type CategoryName =
  | Category
  | "necessary"
  | "analytics"
  | "statistics"
  | "preferences"
  | "personalization"
  | "advertising"
  | "ads";

/** The consent record: `null` from `get()` while the visitor has not decided. */
export interface ConsentRecord {
  /** Random 128-bit id, 32 lowercase hex digits. */
  id: string;
  /** The config revision the decision was taken under. */
  revision: number;
  /** ISO-8601 time of the first decision. */
  decidedAt: string;
  /** ISO-8601 time of the latest decision. */
  updatedAt: string;
  /** ISO-8601 time after which the visitor is asked again. */
  expiresAt: string;
  categories: Record<Category, boolean>;
  /** Every configured service and whether it is granted. */
  services: Record<string, boolean>;
  /** Whether Global Privacy Control was honoured for this decision. */
  gpc: boolean;
  /** Present only on a decision taken in an opt-out region (config `regions`, `data-region`). */
  mode?: "opt-out";
}

/** Choices for `set()`: category ids, aliases or service ids mapped to a grant. */
export type Choices = Partial<Record<CategoryName, boolean>> & Record<string, boolean>;

export type ConsentEvent = "change" | "consent";

export interface ConsentGateApi {
  /** The package version. */
  readonly version: string;
  /** Resolves (with this API) once the module runs and the state is known; rejects if it cannot load. */
  readonly ready: Promise<ConsentGateApi>;
  /** Whether a category (or alias, or service id) is granted; false before `ready`, `essential` always true. Throws a TypeError for a non-string. */
  accepted(category: CategoryName | string): boolean;
  /** A copy of the consent record, or null while undecided. */
  get(): ConsentRecord | null;
  /**
   * Grants every category (under Global Privacy Control, all but marketing).
   * The methods below that decide or show something resolve once done: at once
   * when the banner module runs, else once it has loaded (a returning visitor's
   * page loads it on the first such call).
   */
  acceptAll(): Promise<void>;
  /** Refuses every optional category. */
  rejectAll(): Promise<void>;
  /** Decides some categories or services; others keep their value. Throws a TypeError naming a bad argument. */
  set(choices: Choices): Promise<void>;
  showBanner(): Promise<void>;
  showPreferences(): Promise<void>;
  hide(): Promise<void>;
  /** Forgets the decision and shows the banner again. */
  reset(): Promise<void>;
  /** Subscribes to "change" (every decision) or "consent" (the first). Returns an unsubscribe function. */
  on(event: ConsentEvent, callback: (record: ConsentRecord) => void): () => void;
}

export declare const ConsentGate: ConsentGateApi;
export default ConsentGate;

declare global {
  interface Window {
    ConsentGate: ConsentGateApi;
    /** Config read when no inline block or data-config URL is present. */
    ConsentGateConfig?: Record<string, unknown>;
  }
  interface WindowEventMap {
    "consentgate:change": CustomEvent<ConsentRecord>;
  }
}
