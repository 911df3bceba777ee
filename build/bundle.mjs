// Builds what `node dist/anode.cjs` runs: the boot layer (dist/anode.cjs) and the app
// bundle it loads from beside itself (dist/app.cjs), the same split as in the binary.

import { buildApp, buildBoot } from "./lib/bundles.mjs";
import { versionStamp } from "./lib/stamp.mjs";
import { loadTrustedKeys } from "./lib/trustedKeys.mjs";

const { version, build } = versionStamp();
await Promise.all([
  buildApp({ outfile: "dist/app.cjs", version, sourcemap: true }),
  buildBoot({
    outfile: "dist/anode.cjs",
    version,
    build,
    trustedKeys: loadTrustedKeys().keys,
    sea: false,
    sourcemap: true,
  }),
]);
