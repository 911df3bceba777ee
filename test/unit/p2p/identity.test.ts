import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import nacl from "tweetnacl";
import { afterEach, describe, expect, it } from "vitest";
import {
  generateIdentity,
  loadOrCreateIdentity,
  NODE_KEY_FILE,
  nodeIdOf,
  verifySignature,
} from "../../../src/p2p";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "anode-id-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const posix = process.platform !== "win32";

describe("node identity", () => {
  it("the id is the hex of the first 20 bytes of sha256(public key)", () => {
    const identity = generateIdentity();
    expect(identity.id).toMatch(/^[0-9a-f]{40}$/);
    expect(identity.id).toBe(nodeIdOf(identity.publicKey));
    expect(identity.publicKey).toHaveLength(32);
  });

  it("a seed gives the same identity every time", () => {
    const seed = new Uint8Array(32).fill(5);
    expect(generateIdentity(seed).id).toBe(generateIdentity(seed).id);
    expect(generateIdentity(new Uint8Array(32).fill(6)).id).not.toBe(generateIdentity(seed).id);
    expect(() => generateIdentity(new Uint8Array(31))).toThrow(
      /Cannot generate identity: seed must be 32 bytes/,
    );
  });

  it("signatures verify against the public key only, and interoperate with tweetnacl", () => {
    const identity = generateIdentity();
    const data = new TextEncoder().encode("payload");
    const signature = identity.sign(data);
    expect(signature).toHaveLength(64);
    expect(verifySignature(identity.publicKey, data, signature)).toBe(true);
    expect(nacl.sign.detached.verify(data, signature, identity.publicKey)).toBe(true);
    expect(verifySignature(generateIdentity().publicKey, data, signature)).toBe(false);
    expect(verifySignature(identity.publicKey, new Uint8Array([1]), signature)).toBe(false);
    expect(verifySignature(identity.publicKey, data, signature.subarray(1))).toBe(false);
    expect(verifySignature(new Uint8Array(31), data, signature)).toBe(false);
  });

  it("cached key objects follow the key's bytes, not the buffer they came in", () => {
    const a = generateIdentity();
    const b = generateIdentity();
    const data = new TextEncoder().encode("vote");
    const byA = a.sign(data);
    const key = Uint8Array.from(a.publicKey);
    expect(verifySignature(key, data, byA)).toBe(true);
    key.set(b.publicKey); // the same buffer now holds b's key
    expect(verifySignature(key, data, byA)).toBe(false);
    expect(verifySignature(key, data, b.sign(data))).toBe(true);
    // A key inside a larger buffer (as msgpackr hands them out) is read at its offset.
    const framed = new Uint8Array(40);
    framed.set(a.publicKey, 8);
    expect(verifySignature(framed.subarray(8), data, byA)).toBe(true);
    // Thousands of distinct keys (more than the cache holds) still verify correctly.
    for (let i = 0; i < 5000; i++) {
      const junk = new Uint8Array(32);
      junk[0] = i & 0xff;
      junk[1] = i >> 8;
      expect(verifySignature(junk, data, byA)).toBe(false);
    }
    expect(verifySignature(a.publicKey, data, byA)).toBe(true);
  });

  it("loadOrCreateIdentity() creates node.key with mode 0600 once, then loads it", () => {
    const dir = join(tempDir(), "data");
    const first = loadOrCreateIdentity(dir);
    const path = join(dir, NODE_KEY_FILE);
    expect(readFileSync(path, "utf8")).toContain("BEGIN PRIVATE KEY");
    if (posix) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(loadOrCreateIdentity(dir).id).toBe(first.id);
    expect(JSON.stringify(first)).not.toContain("PRIVATE");
  });

  it("loadOrCreateIdentity() tightens a loose key file and says so", () => {
    const dir = tempDir();
    const first = loadOrCreateIdentity(dir);
    const path = join(dir, NODE_KEY_FILE);
    chmodSync(path, 0o644);
    const warnings: string[] = [];
    const log = {
      trace() {},
      debug() {},
      info() {},
      warn: (msg: string) => warnings.push(msg),
      error() {},
      child: () => log,
    };
    expect(loadOrCreateIdentity(dir, { log }).id).toBe(first.id);
    if (posix) {
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(warnings).toEqual(["tightened node key file permissions to 0600"]);
    }
  });

  it("loadOrCreateIdentity() accepts a raw 32-byte seed and a tweetnacl 64-byte secret key", () => {
    const seed = new Uint8Array(32).fill(9);
    const expected = generateIdentity(seed).id;
    const a = tempDir();
    writeFileSync(join(a, NODE_KEY_FILE), seed, { mode: 0o600 });
    expect(loadOrCreateIdentity(a).id).toBe(expected);
    const b = tempDir();
    writeFileSync(join(b, NODE_KEY_FILE), nacl.sign.keyPair.fromSeed(seed).secretKey, {
      mode: 0o600,
    });
    expect(loadOrCreateIdentity(b).id).toBe(expected);
  });

  it("loadOrCreateIdentity() refuses a file that is not an ed25519 key", () => {
    const a = tempDir();
    writeFileSync(join(a, NODE_KEY_FILE), "not a key", { mode: 0o600 });
    expect(() => loadOrCreateIdentity(a)).toThrow(
      /Cannot load node key: .* is neither PKCS#8 PEM nor a raw 32-byte seed/,
    );
    const b = tempDir();
    writeFileSync(
      join(b, NODE_KEY_FILE),
      "-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n",
      { mode: 0o600 },
    );
    expect(() => loadOrCreateIdentity(b)).toThrow(/Cannot load node key: .* is not a valid key/);
  });
});
