// One file, not src/cli's index: boot stays free of the CLI's dependencies.

import { BootError } from "./bootError";
import { bootMain } from "./bootMain";
import { EXIT } from "./exitCodes";

// The binary's entry point (and `node dist/anode.cjs`). `anode start` keeps the process
// alive itself; every other command ends with its exit code.
bootMain(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`anode: ${err instanceof Error ? err.message : String(err)}\n`);
    // Release keys a system service must not take are a configuration error to fix.
    const unsafe = err instanceof BootError && err.code === "BOOT_TRUST_UNSAFE";
    process.exitCode = unsafe ? EXIT.USAGE : EXIT.FAILURE;
  },
);
