import type { UpgradeStatus } from "../../../engines";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { printJson, println } from "../../io";
import { loadClient } from "../../lazy";
import { parseIntOption } from "../../parsers";
import { formatStatus } from "./formatStatus";
import { unblockCommand } from "./unblock";

const status: CommandSpec = {
  command: "status",
  describe:
    "the running release, pending and downloading releases (with their chunk sources), bad ones",
  options: [
    {
      flags: "--watch <ms>",
      describe: "redraw every <ms> until no release is downloading (progress bars on a terminal)",
      parse: parseIntOption("--watch", 100, 60_000),
    },
  ],
  async handler({ options, io }) {
    const o = options as GlobalOptions & { watch?: number };
    const client = await (await loadClient()).NodeClient.connect(o, io);
    for (;;) {
      const s = await client.request<UpgradeStatus>("GET", "/v1/upgrade/status");
      if (o.json) printJson(io, s);
      else for (const line of formatStatus(s, { bars: io.colour })) println(io, line);
      if (o.watch === undefined || !s.releases.some((r) => r.status === "fetching")) return EXIT.OK;
      await new Promise((r) => setTimeout(r, o.watch));
      if (io.colour) io.stdout.write("\x1b[2J\x1b[H");
    }
  },
};

const apply: CommandSpec = {
  command: "apply [version]",
  describe:
    "apply a pending release now (needed under policy notify or manual; skips the rollout turn)",
  async handler({ args, options, io }) {
    const client = await (await loadClient()).NodeClient.connect(options, io);
    const r = await client.request<{ version: string; status: string }>(
      "POST",
      "/v1/upgrade/apply",
      args[0] === undefined ? {} : { version: args[0] },
    );
    if (options.json) printJson(io, r);
    else
      println(
        io,
        `release ${r.version} approved (${r.status}); it is applied as soon as it is verified`,
      );
    return EXIT.OK;
  },
};

const rollback: CommandSpec = {
  command: "rollback",
  describe:
    "put the previous release's engines back and mark the current release bad (`upgrade unblock` lifts it)",
  async handler({ options, io }) {
    const client = await (await loadClient()).NodeClient.connect(options, io);
    const r = await client.request<{ rolledBack: string; running: string }>(
      "POST",
      "/v1/upgrade/rollback",
    );
    if (options.json) printJson(io, r);
    else println(io, `rolled back from ${r.rolledBack}; running ${r.running}`);
    return EXIT.OK;
  },
};

export const upgradeCommand: CommandSpec = {
  command: "upgrade",
  describe: "see and steer over-the-air upgrades of the running node",
  subcommands: [status, apply, rollback, unblockCommand()],
};
