import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type Artifact, type SignedManifest, sha256Hex, sha512Hex } from "../../../upgrade";
import { cliError } from "../../cliError";
import { EXIT } from "../../exitCodes";

export interface ArtifactCheck {
  name: string;
  /** False when the file is not in the folder: nothing was checked, nothing refuted. */
  checked: boolean;
}

/**
 * Compares every artifact of a release found in `dir` with its signed size, SHA-512 and
 * the SHA-256 of each chunk; one that differs fails the whole check (verify, and a
 * co-signer about to sign). The chunks matter on their own: nodes fetch and check them one
 * by one, so a right whole-file hash over a wrong chunk list would fail every download.
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
    const bad = firstBadChunk(bytes, a);
    if (bad !== undefined) {
      throw cliError(
        EXIT.FAILURE,
        "CLI_ARTIFACT_MISMATCH",
        `Cannot ${what} release ${signed.manifest.version}: ${path} chunk ${bad.index} (bytes ${bad.start} to ${bad.end - 1}) does not match its signed SHA-256`,
      );
    }
    checks.push({ name: a.name, checked: true });
  }
  return checks;
}

function firstBadChunk(
  bytes: Uint8Array,
  a: Artifact,
): { index: number; start: number; end: number } | undefined {
  for (let index = 0; index < a.chunks.length; index++) {
    const start = index * a.chunkSize;
    const end = Math.min(start + a.chunkSize, bytes.byteLength);
    if (sha256Hex(bytes.subarray(start, end)) !== a.chunks[index]) return { index, start, end };
  }
  return undefined;
}
