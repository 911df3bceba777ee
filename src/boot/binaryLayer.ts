declare const __ANODE_BINARY_LAYER__: string;

/**
 * The digest of the binary-layer sources (build/lib/layers.mjs) this bundle was built
 * from: in the boot bundle, the binary's own; in an app bundle, the binary layer it was
 * built against. Stamped by the build (and by vitest from the tree it tests).
 */
export const BINARY_LAYER: string = __ANODE_BINARY_LAYER__;
