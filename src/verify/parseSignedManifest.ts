import { isReleaseVersion, isVersion } from "./compareVersions";
import {
  MAX_ARTIFACT_BYTES,
  MAX_ARTIFACTS,
  MAX_CHUNK_SIZE,
  MAX_ENGINES,
  MAX_MANIFEST_BYTES,
  MAX_SIGNATURES,
  MIN_CHUNK_SIZE,
} from "./limits";
import { ManifestError } from "./manifestError";
import {
  type Activation,
  type Artifact,
  CHANNELS,
  INSTRUCTIONS,
  type Instruction,
  MANIFEST_FORMAT,
  type ManifestSignature,
  PLATFORMS,
  PRODUCT,
  type ReleaseManifest,
  type SignedManifest,
} from "./releaseManifest";

const HEX_SHA256 = /^[0-9a-f]{64}$/;
const HEX_SHA512 = /^[0-9a-f]{128}$/;
const ISO_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,127}$/;
const NAME = /^[A-Za-z0-9:._-]{1,64}$/;
/**
 * What the staging area (src/upgrade/store/stagingLayout.ts) keeps beside each
 * artifact's folder in `releases/<version>/`: the signed manifest and its temporary
 * file while it is written. An artifact by that name would have staging fail
 * (EEXIST) or its chunks collide with the manifest. Compared lowercased and without
 * trailing dots, as case-insensitive disks (macOS, Windows) and Windows see names.
 */
const STAGING_NAME = /^manifest\.json(\..*)?$/;

type Obj = Record<string, unknown>;

class Invalid extends Error {}

/**
 * Reads a signed manifest (the bytes of `manifest.json`, or an already parsed value from
 * gossip) and checks its shape and limits. It does not check signatures: see
 * verifyManifest. Throws MANIFEST_TOO_LARGE or MANIFEST_INVALID naming the bad field.
 */
export function parseSignedManifest(input: Uint8Array | string | unknown): SignedManifest {
  try {
    return readSigned(toValue(input));
  } catch (err) {
    if (!(err instanceof Invalid)) throw err;
    throw new ManifestError(
      { code: "MANIFEST_INVALID", reason: err.message },
      `Cannot read the release manifest: ${err.message}`,
    );
  }
}

function toValue(input: unknown): unknown {
  if (typeof input !== "string" && !(input instanceof Uint8Array)) return input;
  const size = typeof input === "string" ? Buffer.byteLength(input) : input.byteLength;
  if (size > MAX_MANIFEST_BYTES) {
    throw new ManifestError(
      { code: "MANIFEST_TOO_LARGE", size, limit: MAX_MANIFEST_BYTES },
      `Cannot read the release manifest: ${size} bytes is over the ${MAX_MANIFEST_BYTES}-byte limit`,
    );
  }
  const text = typeof input === "string" ? input : Buffer.from(input).toString("utf8");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new Invalid(`it is not JSON (${(err as Error).message})`);
  }
}

function readSigned(v: unknown): SignedManifest {
  const o = obj(v, "the file");
  const sigs = arr(o.signatures, "signatures", MAX_SIGNATURES);
  return {
    manifest: readManifest(o.manifest),
    signatures: sigs.map((s, i): ManifestSignature => {
      const so = obj(s, `signatures[${i}]`);
      return {
        keyId: str(so.keyId, `signatures[${i}].keyId`, NAME),
        signature: str(so.signature, `signatures[${i}].signature`, /^[A-Za-z0-9+/]{86}==$/),
      };
    }),
  };
}

function readManifest(v: unknown): ReleaseManifest {
  const m = obj(v, "manifest");
  if (m.format !== MANIFEST_FORMAT) throw new Invalid(`manifest.format must be ${MANIFEST_FORMAT}`);
  if (m.product !== PRODUCT) throw new Invalid(`manifest.product must be "${PRODUCT}"`);
  const version = str(m.version, "manifest.version");
  if (!isVersion(version)) throw new Invalid(`manifest.version "${version}" is not a version`);
  if (!isReleaseVersion(version)) {
    throw new Invalid(
      `manifest.version "${version}" has build metadata (+...), which a release may not carry: versions that differ only in it have the same precedence`,
    );
  }
  const channel = oneOf(m.channel, "manifest.channel", CHANNELS);
  const createdAt = time(m.createdAt, "manifest.createdAt");
  const expiresAt = time(m.expiresAt, "manifest.expiresAt");
  if (Date.parse(expiresAt) <= Date.parse(createdAt)) {
    throw new Invalid("manifest.expiresAt is not after createdAt");
  }
  const artifacts = arr(m.artifacts, "manifest.artifacts", MAX_ARTIFACTS).map((a, i) =>
    readArtifact(a, `manifest.artifacts[${i}]`),
  );
  const names = new Set(artifacts.map((a) => a.name));
  if (names.size !== artifacts.length) throw new Invalid("two artifacts share a name");
  const activate = m.activate === undefined ? undefined : readActivation(m.activate);
  if (activate !== undefined && !artifacts.some((a) => a.kind === "app")) {
    throw new Invalid(
      "manifest.activate needs an app artifact: only an app release swaps at a height",
    );
  }
  return {
    format: MANIFEST_FORMAT,
    product: PRODUCT,
    version,
    channel,
    createdAt,
    expiresAt,
    artifacts,
    ...(activate !== undefined ? { activate } : {}),
  };
}

function readActivation(v: unknown): Activation {
  const a = obj(v, "manifest.activate");
  const extra = Object.keys(a).find((k) => k !== "chain" && k !== "height");
  if (extra !== undefined) throw new Invalid(`manifest.activate has an unknown field ${extra}`);
  return {
    chain: str(a.chain, "manifest.activate.chain", NAME),
    height: int(a.height, "manifest.activate.height", 2, Number.MAX_SAFE_INTEGER),
  };
}

function readInstructions(
  v: unknown,
  at: string,
  engines: Record<string, string>,
): Record<string, Instruction> {
  const o = obj(v, at);
  const parsed: Record<string, Instruction> = {};
  for (const n of Object.keys(o)) {
    if (!Object.hasOwn(engines, n)) throw new Invalid(`${at} names ${n}, which is not in engines`);
    parsed[n] = oneOf(o[n], `${at}.${n}`, INSTRUCTIONS);
  }
  return parsed;
}

function readArtifact(v: unknown, at: string): Artifact {
  const a = obj(v, at);
  const name = str(a.name, `${at}.name`, FILE_NAME);
  if (STAGING_NAME.test(name.toLowerCase().replace(/\.+$/, ""))) {
    throw new Invalid(`${at}.name "${name}" is reserved for the staging area`);
  }
  const size = int(a.size, `${at}.size`, 0, MAX_ARTIFACT_BYTES);
  const sha512 = str(a.sha512, `${at}.sha512`, HEX_SHA512);
  const chunkSize = int(a.chunkSize, `${at}.chunkSize`, MIN_CHUNK_SIZE, MAX_CHUNK_SIZE);
  const expected = Math.ceil(size / chunkSize);
  const chunks = arr(a.chunks, `${at}.chunks`, expected).map((c, i) =>
    str(c, `${at}.chunks[${i}]`, HEX_SHA256),
  );
  if (chunks.length !== expected) {
    throw new Invalid(`${at}.chunks has ${chunks.length} hashes, ${expected} expected`);
  }
  const base = { name, size, sha512, chunkSize, chunks };
  if (a.kind === "app") {
    if (a.platform !== "any") throw new Invalid(`${at}.platform must be "any" for an app bundle`);
    const engines = obj(a.engines, `${at}.engines`);
    const names = Object.keys(engines);
    if (names.length > MAX_ENGINES) throw new Invalid(`${at}.engines has over ${MAX_ENGINES}`);
    const parsed: Record<string, string> = {};
    for (const n of names) {
      if (!NAME.test(n)) throw new Invalid(`${at}.engines has a bad engine name`);
      parsed[n] = str(engines[n], `${at}.engines.${n}`, /^[0-9A-Za-z.+-]{1,64}$/);
    }
    const hostApi = int(a.hostApi, `${at}.hostApi`, 1, 1_000_000);
    const binaryLayer =
      a.binaryLayer === undefined ? undefined : str(a.binaryLayer, `${at}.binaryLayer`, HEX_SHA256);
    const instructions =
      a.instructions === undefined
        ? undefined
        : readInstructions(a.instructions, `${at}.instructions`, parsed);
    return {
      kind: "app",
      platform: "any",
      hostApi,
      ...(binaryLayer !== undefined ? { binaryLayer } : {}),
      engines: parsed,
      ...(instructions !== undefined ? { instructions } : {}),
      ...base,
    };
  }
  if (a.kind === "binary") {
    return { kind: "binary", platform: oneOf(a.platform, `${at}.platform`, PLATFORMS), ...base };
  }
  throw new Invalid(`${at}.kind must be "app" or "binary"`);
}

function obj(v: unknown, at: string): Obj {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new Invalid(`${at} must be an object`);
  }
  return v as Obj;
}

function arr(v: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(v)) throw new Invalid(`${at} must be an array`);
  if (v.length > max) throw new Invalid(`${at} has more than ${max} entries`);
  return v;
}

function str(v: unknown, at: string, pattern?: RegExp): string {
  if (typeof v !== "string") throw new Invalid(`${at} must be a string`);
  if (pattern && !pattern.test(v)) throw new Invalid(`${at} is malformed`);
  return v;
}

function int(v: unknown, at: string, min: number, max: number): number {
  if (!Number.isSafeInteger(v) || (v as number) < min || (v as number) > max) {
    throw new Invalid(`${at} must be an integer from ${min} to ${max}`);
  }
  return v as number;
}

function time(v: unknown, at: string): string {
  const s = str(v, at, ISO_UTC);
  if (Number.isNaN(Date.parse(s))) throw new Invalid(`${at} is not a real time`);
  return s;
}

function oneOf<T extends string>(v: unknown, at: string, allowed: readonly T[]): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    throw new Invalid(`${at} must be one of ${allowed.join(", ")}`);
  }
  return v as T;
}
