import { createPrivateKey, generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import {
  chmodSync,
  closeSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { Logger } from "../logging";
import type { NodeIdentity } from "./contract";
import { ED25519_SEED_BYTES, privateKeyFromSeed } from "./ed25519Keys";
import { identityFromKey } from "./identityFromKey";
import { P2PError } from "./p2pError";

export const NODE_KEY_FILE = "node.key";
/** Owner read/write only: the key is the node's identity. */
const KEY_FILE_MODE = 0o600;
/** Group and other permission bits; any of them set on the key file is too loose. */
const LOOSE_BITS = 0o077;
/** tweetnacl-style secret keys are the 32-byte seed followed by the 32-byte public key. */
const NACL_SECRET_KEY_BYTES = 64;
// Windows has no POSIX modes; chmod there only toggles read-only.
const POSIX = process.platform !== "win32";

export interface LoadIdentityOptions {
  readonly log?: Logger;
}

function parseKey(bytes: Buffer, path: string): KeyObject {
  const text = bytes.toString("utf8");
  try {
    if (text.includes("-----BEGIN")) return createPrivateKey({ key: text, format: "pem" });
    if (bytes.length === ED25519_SEED_BYTES || bytes.length === NACL_SECRET_KEY_BYTES) {
      return privateKeyFromSeed(bytes.subarray(0, ED25519_SEED_BYTES));
    }
  } catch (cause) {
    throw new P2PError(
      { code: "P2P_KEY_INVALID", path },
      `Cannot load node key: ${path} is not a valid key`,
      {
        cause,
      },
    );
  }
  throw new P2PError(
    { code: "P2P_KEY_INVALID", path },
    `Cannot load node key: ${path} is neither PKCS#8 PEM nor a raw 32-byte seed`,
  );
}

function checkType(key: KeyObject, path: string): KeyObject {
  if (key.asymmetricKeyType !== "ed25519") {
    throw new P2PError(
      { code: "P2P_KEY_INVALID", path },
      `Cannot load node key: ${path} holds a ${key.asymmetricKeyType ?? "unknown"} key, not ed25519`,
    );
  }
  return key;
}

/**
 * Creates the key file only if it does not exist, atomically: the key is written and
 * synced under a temporary name with mode 0600 from the start, then hard-linked into
 * place, which fails if another process won the race (we then read the winner's key).
 */
function createKeyFile(path: string): boolean {
  const pem = String(
    generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }),
  );
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
  const fd = openSync(tmp, "wx", KEY_FILE_MODE);
  try {
    writeSync(fd, pem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw err;
  } finally {
    unlinkSync(tmp);
  }
}

/**
 * The node's identity from `<dataDir>/node.key`, creating the key on first use. A key
 * file readable by group or others is tightened to 0600 (and a warning logged); the key
 * itself is never logged.
 */
export function loadOrCreateIdentity(
  dataDir: string,
  options: LoadIdentityOptions = {},
): NodeIdentity {
  const path = join(dataDir, NODE_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  let created = false;
  try {
    statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    created = createKeyFile(path);
  }
  if (POSIX && (statSync(path).mode & LOOSE_BITS) !== 0) {
    chmodSync(path, KEY_FILE_MODE);
    options.log?.warn("tightened node key file permissions to 0600", { path });
  }
  const identity = identityFromKey(checkType(parseKey(readFileSync(path), path), path));
  if (created) options.log?.info("created node identity", { id: identity.id, path });
  return identity;
}
