// The steps of applying a binary release, run in a child process that a test SIGKILLs
// at one of them: staged (new file written and synced), renamed (in place, .old kept),
// restarting (about to exit with 75).
import { stageBinary, swapBinary } from "../../src/boot/binarySwap";

export function run(exe: string, stop: string): void {
  const hold = (step: string) => {
    process.stdout.write(`at ${step}\n`);
    if (step === stop) setInterval(() => {}, 1000);
    return step === stop;
  };
  stageBinary(exe, new TextEncoder().encode("NEW".repeat(1000)));
  if (hold("staged")) return;
  swapBinary(exe);
  if (hold("renamed")) return;
  if (hold("restarting")) return;
  process.exit(75);
}
