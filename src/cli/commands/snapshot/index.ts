import { join, resolve } from "node:path";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { printJson, println } from "../../io";
import { loadClient } from "../../lazy";
import { parseIntOption } from "../../parsers";

interface SnapshotInfo {
  height: number;
  root: string;
  entries: number;
  bytes: number;
}

function show(
  io: Parameters<typeof println>[0],
  verb: string,
  file: string,
  info: SnapshotInfo,
  json?: boolean,
) {
  if (json) printJson(io, { file, ...info });
  else
    println(
      io,
      `${verb} ${file}: height ${info.height}, ${info.entries} keys, ${info.bytes} bytes, root ${info.root}`,
    );
}

const exportCmd: CommandSpec = {
  command: "export <file>",
  describe: "write the running node's state at a checkpoint to a file",
  options: [
    {
      flags: "--at <height>",
      describe: "export the state as of this height (default: latest)",
      parse: parseIntOption("--at"),
    },
  ],
  async handler({ args, options, io }) {
    const o = options as GlobalOptions & { at?: number };
    const file = resolve(args[0] as string);
    const client = await (await loadClient()).NodeClient.connect(o, io);
    const info = await client.request<SnapshotInfo>("POST", "/v1/snapshot/export", {
      file,
      ...(o.at === undefined ? {} : { at: o.at }),
    });
    show(io, "exported", file, info, o.json);
    return 0;
  },
};

const importCmd: CommandSpec = {
  command: "import <file>",
  describe: "load a snapshot into an empty data directory (the node must be stopped)",
  async handler({ args, options, io }) {
    const file = resolve(args[0] as string);
    const { options: opts } = await (await loadClient()).loadCliConfig(options, io);
    const { importSnapshot, openDatabase } = await import("../../../storage");
    const db = await openDatabase(join(opts.dataDir, "db"));
    try {
      const info = await importSnapshot(file, db);
      show(io, "imported", file, info, options.json);
    } finally {
      await db.close();
    }
    return 0;
  },
};

export const snapshotCommand: CommandSpec = {
  command: "snapshot",
  describe: "export the state to a file, or start a new node from one",
  subcommands: [exportCmd, importCmd],
};
