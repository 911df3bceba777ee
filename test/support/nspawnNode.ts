import type { Container } from "./nspawn";

// The anode service inside a systemd container, read the way an operator would: through
// systemctl and the node's own CLI, run inside as root.

export interface NodeStatus {
  version: string;
  pid: number;
}

export interface UpgradeStatus {
  running: string;
  binary: string;
  bad: Record<string, string>;
  releases: Array<{ version: string; status: string; note?: string; binaryWaiting?: boolean }>;
  refusals: Array<{ version?: string; code: string; reason: string }>;
}

/** Polls `probe` until it returns a value, or fails naming `what` and the last problem. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  context: () => Promise<string> = async () => "",
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > until) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${last}` : ""}\n${await context()}`,
      );
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

export function serviceNode(c: Container) {
  const cli = async <T>(args: string[]): Promise<T> => {
    const r = await c.exec(["anode", "--system", "--json", ...args], { timeoutMs: 15_000 });
    if (r.code !== 0) throw new Error(`anode ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout) as T;
  };
  const mainPid = async (): Promise<number> =>
    Number((await c.sh("systemctl show -p MainPID --value anode.service")).trim());
  const journal = async () =>
    (
      await c.exec(["journalctl", "-u", "anode.service", "--no-pager", "-n", "300", "-o", "cat"], {
        timeoutMs: 10_000,
      })
    ).stdout;
  const context = async () =>
    `--- systemctl status ---\n${(await c.exec(["systemctl", "status", "anode.service", "--no-pager"])).stdout}\n--- journal ---\n${await journal()}`;
  return {
    cli,
    mainPid,
    journal,
    context,
    status: () => cli<NodeStatus>(["status"]),
    upgradeStatus: () => cli<UpgradeStatus>(["upgrade", "status"]),
    /** The sha512 of the file the service's main process executes. */
    async runningSha(): Promise<string> {
      const pid = await mainPid();
      return (await c.sh(`sha512sum /proc/${pid}/exe`)).split(" ")[0] ?? "";
    },
    /** Waits until the service answers from a main process other than `not`. */
    answering(timeoutMs: number, not?: number): Promise<NodeStatus & { mainPid: number }> {
      return waitFor(
        `anode.service to answer${not === undefined ? "" : ` from a main pid other than ${not}`}`,
        async () => {
          const pid = await mainPid();
          if (pid === 0 || pid === not) return undefined;
          const s = await cli<NodeStatus>(["status"]);
          return s.pid === pid ? { ...s, mainPid: pid } : undefined;
        },
        timeoutMs,
        context,
      );
    },
  };
}
