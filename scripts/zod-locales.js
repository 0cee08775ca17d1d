// Stands in for zod/v4/locales in the bundle: the English messages are imported by zod directly.
export {};
