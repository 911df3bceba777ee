import { existsSync } from "node:fs";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { decodeBase64, sha256Hex, type TrustedKeys, verifySignature } from "../../../upgrade";
import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";

export const SUMS = "SHA256SUMS";
export const SUMS_SIG = "SHA256SUMS.sig";

/**
 * The files SHA256SUMS lists: the regular files at the top of a release folder, dot files
 * and the checksums themselves aside, sorted (the rule build/lib/releaseDir.mjs applies,
 * so the CLI and the release command write the same file for the same folder).
 */
export async function releaseFiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter(
    (f) => !f.startsWith(".") && f !== SUMS && f !== SUMS_SIG,
  );
  const files: string[] = [];
  for (const f of names.sort()) if ((await stat(join(dir, f))).isFile()) files.push(f);
  return files;
}

/** SHA256SUMS in sha256sum's format (`<hex>  <name>`) over the folder's published files. */
export async function sumsText(dir: string): Promise<string> {
  let text = "";
  for (const f of await releaseFiles(dir))
    text += `${sha256Hex(new Uint8Array(await readFile(join(dir, f))))}  ${f}\n`;
  return text;
}

/** SHA256SUMS.sig's one encoding: base64 of the raw ed25519 signature, on one line. */
export function sumsSignatureText(signature: Uint8Array): string {
  return `${Buffer.from(signature).toString("base64")}\n`;
}

export interface SumsCheck {
  /** The trusted key whose signature over SHA256SUMS checks out. */
  signer: string;
  files: number;
}

const fail = (message: string) => cliError(EXIT.FAILURE, "CLI_SUMS_MISMATCH", message);

/**
 * What an installer checks, checked before a release goes out: SHA256SUMS is signed by one
 * of the trusted keys, and lists exactly the folder's files with their current SHA-256.
 * Undefined when the folder has no SHA256SUMS (an app-only release).
 */
export async function checkSums(dir: string, trust: TrustedKeys): Promise<SumsCheck | undefined> {
  if (!existsSync(join(dir, SUMS))) return undefined;
  const sums = new Uint8Array(await readFile(join(dir, SUMS)));
  if (!existsSync(join(dir, SUMS_SIG)))
    throw fail(`Cannot verify ${SUMS}: ${SUMS_SIG} is missing (anode release sums signs it)`);
  const sig = decodeBase64((await readFile(join(dir, SUMS_SIG), "utf8")).trim());
  if (sig?.length !== 64)
    throw fail(`Cannot verify ${SUMS}: ${SUMS_SIG} is not base64 of 64 bytes`);
  const signer = trust.keys.find((k) => {
    const pub = decodeBase64(k.publicKey);
    return pub !== undefined && verifySignature(sums, sig, pub);
  });
  if (signer === undefined)
    throw fail(`Cannot verify ${SUMS}: ${SUMS_SIG} is not a signature by a trusted key`);
  const lines = (t: string) => new Set(t.split("\n").filter(Boolean));
  const expected = await sumsText(dir);
  const want = lines(expected);
  const actual = Buffer.from(sums).toString("utf8");
  if (actual !== expected) {
    const have = lines(actual);
    // A line is `<64 hex>  <name>`: the name starts at 66.
    const stale = [...have].filter((l) => !want.has(l)).map((l) => l.slice(66));
    const unlisted = [...want].filter((l) => !have.has(l)).map((l) => l.slice(66));
    const names = [...new Set([...stale, ...unlisted])].join(", ");
    throw fail(
      `Cannot verify ${SUMS}: it does not match the folder (${names}); run anode release sums again`,
    );
  }
  return { signer: signer.id, files: want.size };
}
