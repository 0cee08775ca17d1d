// Types of bench/hostile.mjs, for the tests that import it.
export declare const HOSTILE_FILES: readonly string[];
export declare const HOSTILE_MADE: Readonly<Record<string, string>>;
export declare function hostileLimitMs(name: string): number;
