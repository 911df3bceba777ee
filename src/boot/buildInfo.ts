import { parseTrustedKeys, type TrustedKeys } from "../verify";

declare const __ANODE_BUILD__: string;
declare const __ANODE_TRUSTED_KEYS__: unknown;

/** `git describe` of the tree the binary was built from, stamped at build time. */
export const BUILD: string = __ANODE_BUILD__;

/**
 * The release keys compiled into this binary from `build/trusted-keys.json` (a test
 * build may compile in its own: see build/lib/trustedKeys.mjs). Checked here too, so a
 * malformed list fails every start loudly instead of trusting nothing quietly.
 */
export const TRUSTED_KEYS: TrustedKeys = parseTrustedKeys(__ANODE_TRUSTED_KEYS__);
