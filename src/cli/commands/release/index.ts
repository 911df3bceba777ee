import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { writeFileAtomic } from "../../../files";
import {
  type Activation,
  CHANNELS,
  type Channel,
  canonicalJson,
  generateSigningKey,
  INSTRUCTIONS,
  type Instruction,
  isReleaseVersion,
  isVersion,
  MAX_CHUNK_SIZE,
  MAX_MANIFEST_LIFETIME_MS,
  MIN_CHUNK_SIZE,
  PLATFORMS,
  type Platform,
  parseSignedManifest,
  parseSigningKey,
  parseTrustedKeys,
  type SignedManifest,
  signManifest,
  type TrustedKeys,
  trustedKeyOf,
  verifyManifest,
} from "../../../upgrade";
import { CliError, cliError } from "../../cliError";
import type { CommandSpec, GlobalOptions } from "../../commandSpec";
import { EXIT } from "../../exitCodes";
import { type Io, printJson, println } from "../../io";
import { loadClient } from "../../lazy";
import { collect, parseIntOption } from "../../parsers";
import { addSignatures } from "./addSignatures";
import { type ArtifactInput, buildManifest } from "./buildManifest";
import { bundleEngines } from "./bundleEngines";
import { checkArtifacts } from "./checkArtifacts";
import { checkSums, SUMS } from "./releaseSums";
import { sumsCommand } from "./sumsCommand";
import { trustCommand } from "./trustCommand";

/** Release chunks default to one p2p piece: more, smaller chunks spread faster in a swarm. */
const DEFAULT_RELEASE_CHUNK_SIZE = 256 * 1024;
/** Nodes refuse a manifest that lives longer (MAX_MANIFEST_LIFETIME_MS), so sign refuses it first. */
const MAX_EXPIRES_DAYS = Math.floor(MAX_MANIFEST_LIFETIME_MS / 86_400_000);

const usage = (message: string) => cliError(EXIT.USAGE, "CLI_BAD_OPTION", message);

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    throw cliError(
      EXIT.USAGE,
      "CLI_BAD_FILE",
      `Cannot read ${file}: ${(err as Error).message}`,
      err,
    );
  }
}

async function readSigned(file: string): Promise<{ signed: SignedManifest; text: string }> {
  const bytes = await readBytes(file);
  try {
    const signed = parseSignedManifest(bytes);
    return { signed, text: canonicalJson(signed) };
  } catch (err) {
    throw cliError(EXIT.USAGE, "CLI_BAD_FILE", `${(err as Error).message} (${file})`, err);
  }
}

/** Trust for `verify`: a keys file, else what boot trusts (config override or compiled in). */
async function trustFor(o: GlobalOptions & { trustedKeys?: string }, io: Io): Promise<TrustedKeys> {
  if (o.trustedKeys !== undefined)
    return parseTrustedKeys(JSON.parse(new TextDecoder().decode(await readBytes(o.trustedKeys))));
  const { options } = await (await loadClient()).loadCliConfig(o, io);
  if (options.upgrade.trustedKeys) return parseTrustedKeys(options.upgrade.trustedKeys);
  if (io.host?.trust) return io.host.trust;
  throw usage(
    "Cannot verify: no trusted keys (pass --trusted-keys <file>, or run the anode binary)",
  );
}

const keygen: CommandSpec = {
  command: "keygen <id>",
  describe: "make a release signing key: the secret key file (mode 0600) and its public entry",
  options: [{ flags: "--out <file>", describe: "secret key file to write (default <id>.key)" }],
  async handler({ args, options, io }) {
    const id = args[0] as string;
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id))
      throw usage(`Cannot make key "${id}": ids are 1-64 of A-Z a-z 0-9 . _ -`);
    const file = (options as { out?: string }).out ?? `${id}.key`;
    if (existsSync(file)) {
      throw cliError(
        EXIT.FAILURE,
        "CLI_KEY_EXISTS",
        `Cannot write ${file}: it exists (refusing to overwrite a signing key)`,
      );
    }
    const key = generateSigningKey(id);
    await writeFile(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600, flag: "wx" });
    const pub = trustedKeyOf(key);
    if (options.json) printJson(io, { file, ...pub });
    else {
      println(io, `secret key written to ${file} (mode 0600; keep it out of any repository)`);
      println(io, "add this to build/trusted-keys.json (or upgrade.trustedKeys):");
      println(io, JSON.stringify(pub));
    }
    return EXIT.OK;
  },
};

interface SignOptions extends GlobalOptions {
  key: string[];
  manifest?: string;
  dir?: string;
  app?: string;
  binary: string[];
  releaseVersion?: string;
  channel: string;
  expiresDays: number;
  chunkSize: number;
  activate?: string;
  instruction: string[];
  out?: string;
}

const sign: CommandSpec = {
  command: "sign",
  describe:
    "build a release manifest from artifact files and sign it, or add signatures to one (--manifest)",
  options: [
    {
      flags: "--key <file>",
      describe: "signing key file (repeat for k-of-n)",
      parse: collect,
      default: [],
    },
    {
      flags: "--manifest <file>",
      describe:
        "co-sign: add the signatures to this manifest (written back unless --out), its body unchanged",
    },
    {
      flags: "--dir <dir>",
      describe: "with --manifest: folder holding the artifacts (default: the manifest's folder)",
    },
    { flags: "--app <file>", describe: "the app bundle (app.cjs) of the release" },
    {
      flags: "--binary <platform=file>",
      describe: `an executable, e.g. linux-x64=dist/bin/anode (repeatable; ${PLATFORMS.join(", ")})`,
      parse: collect,
      default: [],
    },
    {
      flags: "--release-version <version>",
      describe: "release version (default: the app bundle's own)",
    },
    {
      flags: "--channel <channel>",
      describe: `release channel: ${CHANNELS.join(", ")}`,
      default: "stable",
    },
    {
      flags: "--expires-days <n>",
      describe: `days until the manifest expires (default 90, at most ${MAX_EXPIRES_DAYS})`,
      parse: parseIntOption("--expires-days", 1, MAX_EXPIRES_DAYS),
      default: 90,
    },
    {
      flags: "--chunk-size <bytes>",
      describe: `chunk size (default ${DEFAULT_RELEASE_CHUNK_SIZE})`,
      parse: parseIntOption("--chunk-size", MIN_CHUNK_SIZE, MAX_CHUNK_SIZE),
      default: DEFAULT_RELEASE_CHUNK_SIZE,
    },
    {
      flags: "--activate <chain@height>",
      describe:
        "swap on every node of the chain between blocks height-1 and height (an app release; nodes halt there until they run it)",
    },
    {
      flags: "--instruction <engine=how>",
      describe: `how an engine changes: ${INSTRUCTIONS.join(", ")} (default swap; repeatable)`,
      parse: collect,
      default: [],
    },
    {
      flags: "--out <file>",
      describe: "manifest file to write (default manifest.json beside the first artifact)",
    },
  ],
  examples: `Examples:
  anode release sign --key release.key --app dist/app.cjs --release-version 0.2.0
  anode release sign --key release.key --app app.cjs --activate main@12000 --instruction api=restart
  anode release sign --key a.key --key b.key --app app.cjs --binary linux-x64=anode-linux-x64
  anode release sign --manifest dist/release/manifest.json --key /media/holder-b/holder-b.key`,
  async handler({ options, io }) {
    const o = options as SignOptions;
    if (o.key.length === 0) throw usage("Cannot sign: give at least one --key <file>");
    if (o.manifest !== undefined) return coSign(o, io);
    if (o.dir !== undefined) throw usage("Cannot sign: --dir goes with --manifest");
    if (!(CHANNELS as readonly string[]).includes(o.channel))
      throw usage(`Cannot sign: --channel must be one of ${CHANNELS.join(", ")}`);
    const artifacts: ArtifactInput[] = [];
    let appVersion: string | undefined;
    if (o.app !== undefined) {
      const bytes = await readBytes(o.app);
      const info = await bundleEngines(bytes, o.app);
      appVersion = info.version;
      artifacts.push({ file: o.app, bytes, kind: "app", app: info });
    }
    for (const spec of o.binary) {
      const [platform, file] = spec.split("=", 2) as [string, string | undefined];
      if (file === undefined || !(PLATFORMS as readonly string[]).includes(platform)) {
        throw usage(
          `Cannot sign: --binary wants <platform>=<file> with a platform of ${PLATFORMS.join(", ")}`,
        );
      }
      artifacts.push({
        file,
        bytes: await readBytes(file),
        kind: "binary",
        platform: platform as Platform,
      });
    }
    if (artifacts.length === 0) throw usage("Cannot sign: give --app and/or --binary");
    const version = o.releaseVersion ?? appVersion;
    if (version === undefined || !isVersion(version))
      throw usage("Cannot sign: --release-version must be a semantic version");
    if (!isReleaseVersion(version))
      throw usage(
        `Cannot sign: the release version ${version} has build metadata (+...); give --release-version without it (nodes refuse it: versions that differ only in it have the same precedence)`,
      );
    const upgradeOptions = readUpgradeOptions(o, artifacts);
    const keys = await readKeys(o.key);
    const manifest = buildManifest({
      ...upgradeOptions,
      version,
      channel: o.channel as Channel,
      now: Date.now(),
      expiresInMs: o.expiresDays * 86_400_000,
      chunkSize: o.chunkSize,
      artifacts,
    });
    const signed = parseSignedManifest({
      manifest,
      signatures: keys.map((k) => signManifest(manifest, k)),
    });
    const out = o.out ?? join(dirname(artifacts[0]?.file ?? "."), "manifest.json");
    await writeFile(out, `${JSON.stringify(signed, null, 2)}\n`);
    if (o.json)
      printJson(io, {
        file: out,
        version,
        signers: keys.map((k) => k.id),
        artifacts: manifest.artifacts.map((a) => ({
          name: a.name,
          kind: a.kind,
          platform: a.platform,
          size: a.size,
          chunks: a.chunks.length,
        })),
      });
    else
      println(
        io,
        `release ${version} (${o.channel}) signed by ${keys.map((k) => k.id).join(", ")}: ${out}`,
      );
    return EXIT.OK;
  },
};

/** `--activate` and `--instruction`, checked here so a mistake is a usage error, not a bad manifest. */
function readUpgradeOptions(
  o: SignOptions,
  artifacts: ArtifactInput[],
): { activate?: Activation; instructions?: Record<string, Instruction> } {
  const app = artifacts.find((a) => a.kind === "app");
  const out: { activate?: Activation; instructions?: Record<string, Instruction> } = {};
  if (o.activate !== undefined) {
    const m = /^([A-Za-z0-9:._-]{1,64})@([0-9]{1,15})$/.exec(o.activate);
    const height = m ? Number(m[2]) : 0;
    if (!m || height < 2)
      throw usage("Cannot sign: --activate wants <chain>@<height> with a height of at least 2");
    if (app === undefined)
      throw usage("Cannot sign: --activate needs --app (only an app release swaps at a height)");
    out.activate = { chain: m[1] as string, height };
  }
  if (o.instruction.length > 0) {
    if (app === undefined) throw usage("Cannot sign: --instruction needs --app");
    const instructions: Record<string, Instruction> = {};
    for (const spec of o.instruction) {
      const [engine, how] = spec.split("=", 2) as [string, string | undefined];
      if (how === undefined || !(INSTRUCTIONS as readonly string[]).includes(how))
        throw usage(
          `Cannot sign: --instruction wants <engine>=<${INSTRUCTIONS.join("|")}>, not ${spec}`,
        );
      if (!Object.hasOwn(app.app?.engines ?? {}, engine))
        throw usage(
          `Cannot sign: --instruction names ${engine}, which is not an engine of the app bundle`,
        );
      instructions[engine] = how as Instruction;
    }
    out.instructions = instructions;
  }
  return out;
}

async function readKeys(files: string[]) {
  return Promise.all(
    files.map(async (f) => {
      try {
        return parseSigningKey(JSON.parse(new TextDecoder().decode(await readBytes(f))));
      } catch (err) {
        if (err instanceof CliError) throw err;
        throw cliError(EXIT.USAGE, "CLI_BAD_FILE", `${(err as Error).message} (${f})`, err);
      }
    }),
  );
}

/**
 * `sign --manifest`: one more key holder signs a release someone else built. The holder
 * signs only what they can see: every artifact must be in the folder and match, and an
 * expired manifest is refused (no node would take it).
 */
async function coSign(o: SignOptions, io: Io): Promise<number> {
  const file = o.manifest as string;
  const given = [o.app !== undefined && "--app", o.binary.length > 0 && "--binary"].filter(Boolean);
  if (given.length > 0)
    throw usage(`Cannot sign: ${given.join(" and ")} cannot be used with --manifest`);
  const { signed } = await readSigned(file);
  const version = signed.manifest.version;
  if (Date.parse(signed.manifest.expiresAt) <= Date.now())
    throw cliError(
      EXIT.FAILURE,
      "CLI_MANIFEST_EXPIRED",
      `Cannot sign release ${version}: its manifest expired at ${signed.manifest.expiresAt}`,
    );
  const dir = o.dir ?? dirname(file);
  const checks = await checkArtifacts(signed, dir, "sign");
  const missing = checks.filter((c) => !c.checked).map((c) => c.name);
  if (missing.length > 0)
    throw usage(
      `Cannot sign release ${version}: ${missing.join(", ")} not in ${dir} (a signer checks every artifact; see --dir)`,
    );
  const keys = await readKeys(o.key);
  const next = addSignatures(signed, keys);
  const out = o.out ?? file;
  writeFileAtomic(out, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o644 });
  const signers = next.signatures.map((s) => s.keyId);
  if (o.json) printJson(io, { file: out, version, added: keys.map((k) => k.id), signers });
  else
    println(
      io,
      `release ${version}: signed by ${keys.map((k) => k.id).join(", ")}; it now carries ${signers.length} signature(s) (${signers.join(", ")}): ${out}`,
    );
  return EXIT.OK;
}

const verify: CommandSpec = {
  command: "verify <manifest>",
  describe: `check a release's signatures against the trusted keys, its artifacts if present, and ${SUMS} if present`,
  options: [
    {
      flags: "--trusted-keys <file>",
      describe: "trusted-keys file (default: what this anode trusts)",
    },
    {
      flags: "--dir <dir>",
      describe: "folder holding the artifacts (default: the manifest's folder)",
    },
  ],
  async handler({ args, options, io }) {
    const file = args[0] as string;
    const o = options as GlobalOptions & { trustedKeys?: string; dir?: string };
    const { signed } = await readSigned(file);
    // Resolved outside the try: missing or unreadable keys are usage errors (2), not a failed check.
    const trust = await trustFor(o, io);
    let signers: string[];
    try {
      signers = verifyManifest(signed.manifest, signed.signatures, trust).signers;
    } catch (err) {
      throw cliError(
        EXIT.FAILURE,
        (err as { code?: string }).code ?? "CLI_VERIFY_FAILED",
        verifyFailure(err as Error, signed, trust),
        err,
      );
    }
    const dir = o.dir ?? dirname(file);
    const artifacts = await checkArtifacts(signed, dir, "verify");
    const sums = await checkSums(dir, trust);
    const kOfN = `${signers.length} of ${trust.keys.length} trusted keys, ${trust.threshold} required`;
    if (o.json)
      printJson(io, {
        version: signed.manifest.version,
        channel: signed.manifest.channel,
        expiresAt: signed.manifest.expiresAt,
        signers,
        threshold: trust.threshold,
        trustedKeys: trust.keys.map((k) => k.id),
        artifacts,
        sums: sums ?? null,
      });
    else {
      println(
        io,
        `release ${signed.manifest.version} (${signed.manifest.channel}): signed by ${signers.join(", ")} (${kOfN}), expires ${signed.manifest.expiresAt}`,
      );
      for (const a of artifacts)
        println(io, `  ${a.name}: ${a.checked ? "matches" : "not present, not checked"}`);
      if (sums) println(io, `  ${SUMS}: ${sums.files} files match, signed by ${sums.signer}`);
    }
    return EXIT.OK;
  },
};

/** A short manifest says which trusted keys signed and which are still missing. */
function verifyFailure(err: Error, signed: SignedManifest, trust: TrustedKeys): string {
  if ((err as { code?: string }).code !== "MANIFEST_TOO_FEW_SIGNATURES") return err.message;
  const have = new Set(signed.signatures.map((s) => s.keyId));
  const by = trust.keys.filter((k) => have.has(k.id)).map((k) => k.id);
  const missing = trust.keys.filter((k) => !have.has(k.id)).map((k) => k.id);
  return `Cannot verify release ${signed.manifest.version}: ${by.length} of the ${trust.threshold} required signatures (signed by ${by.join(", ") || "no trusted key"}; not yet by ${missing.join(", ")})`;
}

const publish: CommandSpec = {
  command: "publish <manifest>",
  describe:
    "hand a signed release to the running node, which checks it and gossips it to the network",
  options: [
    {
      flags: "--dir <dir>",
      describe: "folder holding the artifacts (default: the manifest's folder)",
    },
  ],
  async handler({ args, options, io }) {
    const file = args[0] as string;
    const o = options as GlobalOptions & { dir?: string };
    const { signed, text } = await readSigned(file);
    const version = signed.manifest.version;
    const dir = o.dir ?? dirname(file);
    // Checked before the node hears of the release: once accepted it would wait forever
    // for artifacts that never come, and count as the highest version accepted.
    const present = signed.manifest.artifacts.filter((a) => existsSync(join(dir, a.name)));
    if (present.length === 0)
      throw usage(`Cannot publish ${version}: none of its artifacts is in ${dir}`);
    const client = await (await loadClient()).NodeClient.connect(o, io);
    // A duplicate (the very manifest this node accepted before, even expired since) is a
    // no-op: the artifacts are re-sent and it is announced again, and the output says so.
    const taken = await client.request<{ outcome: string; installed?: boolean }>(
      "POST",
      "/v1/upgrade/releases",
      { signed: text },
    );
    const duplicate = taken.outcome === "duplicate";
    const uploaded: string[] = [];
    for (const a of present) {
      await client.requestBytes(
        "PUT",
        `/v1/upgrade/releases/${encodeURIComponent(version)}/artifacts/${encodeURIComponent(a.name)}`,
        await readBytes(join(dir, a.name)),
      );
      uploaded.push(a.name);
    }
    const announced = await client.request<{ gossip: string }>(
      "POST",
      `/v1/upgrade/releases/${encodeURIComponent(version)}/announce`,
    );
    if (o.json)
      printJson(io, {
        version,
        uploaded,
        gossip: announced.gossip,
        ...(duplicate ? { duplicate, installed: taken.installed === true } : {}),
      });
    else if (duplicate)
      println(
        io,
        `release ${version} was already accepted by this node${taken.installed ? ", which runs it" : ""}: nothing changed (announced to the network again)`,
      );
    else
      println(
        io,
        `release ${version} published (${uploaded.join(", ")}) and announced to the network`,
      );
    return EXIT.OK;
  },
};

export const releaseCommand: CommandSpec = {
  command: "release",
  describe: "make signing keys and trust lists, sign (k of n), verify and publish releases",
  subcommands: [keygen, trustCommand, sign, sumsCommand, verify, publish],
};
