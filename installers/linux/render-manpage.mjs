// Writes anode(1), the manual page the .deb ships, from the CLI's own command tree: the
// same commander program, option texts and examples that `anode <command> --help` prints,
// so the page cannot drift from the binary built from the same source.
//
//   node installers/linux/render-manpage.mjs [--version 0.1.0] [--out anode.1]
//
// The page's date is SOURCE_DATE_EPOCH's (the build's fixed time) when set, for a
// reproducible package. build-deb.sh runs this; test/installers/manPage.test.ts checks
// the page with groff.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { binaryLayerDigest } from "../../build/lib/layers.mjs";

const root = new URL("../../", import.meta.url).pathname;

/** Text for a roff line: backslashes and leading control characters made literal. */
function text(s) {
  const t = s.replace(/\\/g, "\\e").replace(/-/g, "\\-");
  return /^[.']/.test(t) ? `\\&${t}` : t;
}

/** An option or usage term: flags bold, `<value>` placeholders italic. */
function term(s) {
  return text(s)
    .replace(/<([^>]+)>/g, "\\fI$1\\fR")
    .replace(/(^|[\s,[|])(\\-\\-?[A-Za-z0-9\\-]+)/g, "$1\\fB$2\\fR");
}

/** What a command prints after its options (examples), captured from its help output. */
function helpAfter(cmd) {
  const out = [];
  cmd.configureOutput({ writeOut: (s) => out.push(s), writeErr: () => {} });
  cmd.outputHelp();
  const all = out.join("");
  const base = cmd.helpInformation();
  return all.startsWith(base) ? all.slice(base.length).trim() : "";
}

function options(help, cmd) {
  return help
    .visibleOptions(cmd)
    .filter((o) => o.long !== "--help")
    .flatMap((o) => [".TP", term(help.optionTerm(o)), text(help.optionDescription(o))]);
}

function examples(block) {
  return block === "" ? [] : [".PP", ".nf", ".RS 4", ...block.split("\n").map(text), ".RE", ".fi"];
}

/** A command and, below it, every subcommand: usage, what it does, its options. */
function commandSection(help, cmd, path) {
  const name = [...path, cmd.name()].join(" ");
  const lines = [
    `.SS "${text(
      `${name} ${help
        .commandUsage(cmd)
        .split(" ")
        .slice(path.length + 1)
        .join(" ")}`,
    ).trim()}"`,
  ];
  lines.push(text(help.commandDescription(cmd)));
  const opts = options(help, cmd);
  if (opts.length > 0) lines.push(".PP", "Options:", ".RS 4", ...opts, ".RE");
  lines.push(...examples(helpAfter(cmd)));
  for (const sub of help.visibleCommands(cmd)) {
    if (sub.name() === "help") continue;
    lines.push(...commandSection(help, sub, [...path, cmd.name()]));
  }
  return lines;
}

/** The exit-code table of `anode --help` ("  0  success") as roff paragraphs. */
function exitStatus(block) {
  return block
    .split("\n")
    .map((l) => /^\s*(\d+)\s+(.*)$/.exec(l))
    .filter((m) => m !== null)
    .flatMap((m) => [".TP", `.B ${m[1]}`, text(m[2])]);
}

export function renderManPage(program, { version, date }) {
  const help = program.createHelp();
  const exits = exitStatus(helpAfter(program));
  const commands = help
    .visibleCommands(program)
    .filter((c) => c.name() !== "help")
    .flatMap((c) => commandSection(help, c, ["anode"]));
  return `${[
    `.\\" Rendered by installers/linux/render-manpage.mjs from the CLI's commands; edit those.`,
    `.TH ANODE 1 "${date}" "anode ${text(version)}" "User Commands"`,
    ".SH NAME",
    `anode \\- ${text(program.description().replace(/^anode: /, ""))}`,
    ".SH SYNOPSIS",
    ".B anode",
    "[\\fIoptions\\fR] \\fIcommand\\fR [\\fIcommand options\\fR]",
    ".br",
    ".B anode",
    "\\fIcommand\\fR \\fB\\-\\-help\\fR",
    ".SH DESCRIPTION",
    "anode runs a node of a decentralised network: engines (router, storage, ordering,",
    "mempool, executor, consensus, upgrade) under a supervision tree, its state in an",
    "embedded LevelDB, and upgrades from signed releases that travel over its own peer",
    "network. The same executable is the node (\\fBanode start\\fR) and the client that",
    "operates it through the local control API on 127.0.0.1.",
    ".PP",
    "Every command has \\fB\\-\\-help\\fR and a \\fB\\-\\-json\\fR form.",
    ".SH OPTIONS",
    "These apply to every command.",
    ...options(help, program),
    ".SH COMMANDS",
    ...commands,
    ".SH EXIT STATUS",
    ...exits,
    ".SH FILES",
    ".TP",
    ".I /usr/bin/anode",
    "the executable (the Node.js runtime, the boot layer and the embedded app).",
    ".TP",
    ".I /lib/systemd/system/anode.service",
    "the system service: \\fBanode start \\-\\-system\\fR as the \\fIanode\\fR account.",
    ".TP",
    ".I /etc/anode/config.json",
    "the system-wide config file (\\fB\\-\\-system\\fR).",
    ".TP",
    ".I /var/lib/anode",
    "the system-wide data directory: the store, the event log, node.key, installed app releases.",
    ".TP",
    ".I ~/.local/share/anode",
    "a user's own data directory (\\fBXDG_DATA_HOME\\fR).",
    ".SH ENVIRONMENT",
    ".TP",
    ".B ANODE_DATA_DIR",
    "the data directory, as \\fB\\-\\-data\\-dir\\fR.",
    ".TP",
    ".B ANODE_CONFIG",
    "the config file, as \\fB\\-\\-config\\fR.",
    ".TP",
    ".B ANODE_API_PORT",
    "the control API port, as \\fB\\-\\-api\\-port\\fR.",
    ".TP",
    ".B NO_COLOR",
    "when set, no colour even on a terminal.",
    ".SH SEE ALSO",
    ".BR systemctl (1),",
    ".BR journalctl (1)",
  ].join("\n")}\n`;
}

/** The CLI's program, bundled from src/ in memory (TypeScript with extensionless imports). */
async function loadProgram(version) {
  const out = await build({
    stdin: {
      contents: `export { getCli } from "./src/cli/getCli";`,
      resolveDir: root,
      loader: "ts",
    },
    bundle: true,
    platform: "node",
    format: "cjs",
    write: false,
    logLevel: "warning",
    define: {
      __ANODE_VERSION__: JSON.stringify(version),
      __ANODE_BINARY_LAYER__: JSON.stringify(binaryLayerDigest()),
    },
  });
  // A file, not a data: URL, so the bundle's own lazy require()s resolve.
  const dir = mkdtempSync(join(tmpdir(), "anode-manpage-"));
  try {
    const file = join(dir, "cli.cjs");
    writeFileSync(file, out.outputFiles[0].text);
    const { getCli } = createRequire(file)(file);
    const io = { stdout: { write() {} }, stderr: { write() {} }, env: {}, colour: false };
    return getCli(io, () => {});
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function isoDate(epochSeconds) {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

const { values } = parseArgs({
  options: { version: { type: "string" }, out: { type: "string" } },
});
const version =
  values.version ?? JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;
const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? Math.floor(Date.now() / 1000));
const page = renderManPage(await loadProgram(version), { version, date: isoDate(epoch) });
if (values.out === undefined) process.stdout.write(page);
else writeFileSync(values.out, page);
