// Makes a release signing key: `node build/keygen.mjs <id> <key-file>`. Writes the secret
// key file (mode 0600; keep it out of the repository: CI gets it from a secret) and prints
// the public entry for build/trusted-keys.json.

import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const nacl = createRequire(import.meta.url)("tweetnacl");
const [id, file] = process.argv.slice(2);
if (!id || !file) {
  console.error("usage: node build/keygen.mjs <key-id> <key-file>");
  process.exit(2);
}
if (existsSync(file)) {
  console.error(`Cannot write ${file}: it exists (refusing to overwrite a signing key)`);
  process.exit(1);
}
const pair = nacl.sign.keyPair();
const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const key = { id, secretKey: b64(pair.secretKey), publicKey: b64(pair.publicKey) };
writeFileSync(file, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
console.log(JSON.stringify({ id, publicKey: key.publicKey }, null, 2));
