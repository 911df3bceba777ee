import { processIo } from "./io";
import { runCli } from "./runCli";

// `anode start` keeps the process alive itself; every other command ends with its code.
runCli(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`anode: ${String(err)}\n`);
    process.exitCode = 1;
  },
);
