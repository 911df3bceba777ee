/**
 * A layer of options (flags, environment, file) names only what it sets. Arrays count as
 * one value, so a layer replaces a list rather than merging into it. `undefined` is
 * accepted and means "not set", so a CLI can pass every flag through unconditionally.
 */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { -readonly [K in keyof T]?: DeepPartial<T[K]> | undefined }
    : T;
