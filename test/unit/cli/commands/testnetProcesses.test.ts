import { execSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { trialAlive } from "../../../../src/boot/trialMarker";
import { isAlive } from "../../../../src/cli/commands/testnet/processes";

describe("testnet process checks", () => {
  it("counts a killed process that nobody reaped (a zombie) as dead, here and in boot's trial check", async () => {
    // A grandchild whose parent is gone belongs to pid 1, which here reaps nothing.
    const pid = Number(execSync("sh -c 'sleep 60 >/dev/null 2>&1 & echo $!'").toString().trim());
    expect(isAlive(pid)).toBe(true);
    process.kill(pid, "SIGKILL");
    const deadline = Date.now() + 5000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(isAlive(pid)).toBe(false);
    // A node restarted at once must see its crashed predecessor's trial as over.
    expect(trialAlive({ version: "0.2.0", previous: "0.1.0", pid, startedAt: 0 })).toBe(false);
    expect(isAlive(null)).toBe(false);
  });
});
