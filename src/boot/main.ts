import { bootMain } from "./bootMain";

// The binary's entry point (and `node dist/anode.cjs`). `anode start` keeps the process
// alive itself; every other command ends with its exit code.
bootMain(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`anode: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
