const encoder = new TextEncoder();

/** Keys of the `meta` space. */
export const META_FORMAT = encoder.encode("format");
export const META_CHECKPOINT = encoder.encode("checkpoint");
export const META_IMPORT = encoder.encode("import");

/** Bumped when the on-disk layout changes incompatibly. */
export const STORAGE_FORMAT_VERSION = 1;
