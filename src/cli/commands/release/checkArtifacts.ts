import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type SignedManifest, sha512Hex } from "../../../upgrade";
import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";

export interface ArtifactCheck {
  name: string;
  /** False when the file is not in the folder: nothing was checked, nothing refuted. */
  checked: boolean;
}

/**
 * Compares every artifact of a release found in `dir` with its signed size and SHA-512;
 * one that differs fails the whole check (verify, and a co-signer about to sign).
 */
export async function checkArtifacts(
  signed: SignedManifest,
  dir: string,
  what: string,
): Promise<ArtifactCheck[]> {
  const checks: ArtifactCheck[] = [];
  for (const a of signed.manifest.artifacts) {
    const path = join(dir, a.name);
    if (!existsSync(path)) {
      checks.push({ name: a.name, checked: false });
      continue;
    }
    const bytes = new Uint8Array(await readFile(path));
    if (bytes.byteLength !== a.size || sha512Hex(bytes) !== a.sha512) {
      throw cliError(
        EXIT.FAILURE,
        "CLI_ARTIFACT_MISMATCH",
        `Cannot ${what} release ${signed.manifest.version}: ${path} does not match its signed size and SHA-512`,
      );
    }
    checks.push({ name: a.name, checked: true });
  }
  return checks;
}
