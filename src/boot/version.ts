declare const __ANODE_VERSION__: string;

/** The product version, stamped into the bundle at build time (and into tests by vitest). */
export const VERSION: string = __ANODE_VERSION__;
