/**
 * The heavy parts commands need, loaded on first use: esbuild defers a module reached only
 * through import(), so `anode --version` and `--help` evaluate none of them.
 */
export const loadClient = () => import("./client/nodeClient");
export const loadConfigModule = () => import("../config");
export const loadP2P = () => import("../p2p");
