import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { acquireMachineLock } from "../installers/support/machineLock";
import { hasTool, missing } from "../installers/support/tools";

// The Debian root that the systemd tests boot, built once per machine with debootstrap
// and kept outside the repository. A stamp written last marks it complete: an
// interrupted build leaves no stamp and is built again from scratch.

export const NSPAWN_SUITE = "bookworm";
/** Beyond minbase: a booted systemd, its bus, and openssl for install.sh's signature check. */
export const NSPAWN_PACKAGES = ["systemd", "systemd-sysv", "dbus", "openssl"] as const;
export const NSPAWN_ROOT =
  process.env.ANODE_NSPAWN_ROOT ?? `/var/cache/anode-test/nspawn-${NSPAWN_SUITE}`;
const STAMP = ".anode-nspawn-root.json";
/** Measured 47 s from Debian's mirror; a slow mirror gets minutes more. */
export const ROOT_BUILD_TIMEOUT_MS = 480_000;

const TOOLS: Array<[string, string]> = [
  ["debootstrap", "debootstrap"],
  ["systemd-nspawn", "systemd-container"],
  ["nsenter", "util-linux"],
];

/** Throws, saying what is missing, unless this machine can build and boot the root. */
export function requireNspawn(): void {
  const absent = TOOLS.filter(([t]) => !hasTool(t)).map(([t, p]) => missing(t, p));
  if (process.getuid?.() !== 0)
    absent.push("not root (systemd-nspawn needs root; CI runs as root)");
  if (absent.length > 0) throw new Error(`Cannot boot a systemd container: ${absent.join("; ")}`);
}

function stampText(): string {
  return `${JSON.stringify({ suite: NSPAWN_SUITE, packages: NSPAWN_PACKAGES })}\n`;
}

export function rootIsComplete(root = NSPAWN_ROOT): boolean {
  try {
    return readFileSync(join(root, STAMP), "utf8") === stampText();
  } catch {
    return false;
  }
}

/** The Debian mirror apt is configured with (deb822 or one-line sources), not security's. */
export function aptMirror(): string {
  const files = ["/etc/apt/sources.list"];
  const dir = "/etc/apt/sources.list.d";
  if (existsSync(dir)) {
    for (const f of readdirSync(dir)) if (/\.(list|sources)$/.test(f)) files.push(join(dir, f));
  }
  for (const f of files) {
    let text = "";
    try {
      text = readFileSync(f, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n")) {
      const m = /^\s*(?:URIs:\s*|deb\s+(?:\[[^\]]*\]\s+)?)(\S+)/.exec(line);
      const uri = m?.[1];
      if (uri !== undefined && /\/debian\/?$/.test(uri)) return uri;
    }
  }
  return "http://deb.debian.org/debian";
}

export interface RootBuild {
  root: string;
  /** How long debootstrap took, or undefined when the cached root was reused. */
  builtMs: number | undefined;
}

/** The cached root, built first when missing or incomplete (one builder at a time). */
export async function ensureNspawnRoot(root = NSPAWN_ROOT): Promise<RootBuild> {
  requireNspawn();
  if (rootIsComplete(root)) return { root, builtMs: undefined };
  const release = await acquireMachineLock("anode-nspawn-root", ROOT_BUILD_TIMEOUT_MS);
  try {
    if (rootIsComplete(root)) return { root, builtMs: undefined };
    const started = Date.now();
    const partial = `${root}.partial`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(root, { recursive: true, force: true });
    const args = [
      "--variant=minbase",
      `--include=${NSPAWN_PACKAGES.join(",")}`,
      NSPAWN_SUITE,
      partial,
      aptMirror(),
    ];
    const r = await runLogged("debootstrap", args, ROOT_BUILD_TIMEOUT_MS);
    if (r.code !== 0) {
      throw new Error(
        `Cannot build the container root: debootstrap ${args.join(" ")} exited ${r.code}:\n${r.output.slice(-4000)}`,
      );
    }
    renameSync(partial, root);
    writeFileSync(join(root, STAMP), stampText());
    return { root, builtMs: Date.now() - started };
  } finally {
    release();
  }
}

function runLogged(
  program: string,
  args: string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const add = (d: Buffer) => {
      output = (output + d.toString()).slice(-64_000);
    };
    child.stdout.on("data", add);
    child.stderr.on("data", add);
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
    child.once("error", (err) => {
      clearTimeout(timer);
      resolve({ code: null, output: `${output}\n${err.message}` });
    });
  });
}
