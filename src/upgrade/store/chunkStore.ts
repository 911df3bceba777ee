import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { stagingLayout } from "../../boot";
import { canonicalJson, type SignedManifest } from "../manifest";

/**
 * Verified chunks on disk, one file each, written to a temporary name and renamed, so a
 * file under its index is always a whole chunk that matched its hash: after a crash the
 * download resumes with what is there.
 */
export class ChunkStore {
  private readonly layout;

  constructor(readonly dataDir: string) {
    this.layout = stagingLayout(dataDir);
  }

  async saveManifest(signed: SignedManifest): Promise<void> {
    const { version } = signed.manifest;
    await mkdir(this.layout.releaseDir(version), { recursive: true, mode: 0o700 });
    await writeAtomic(this.layout.manifestFile(version), `${canonicalJson(signed)}\n`);
  }

  /** The signed manifests in the staging area, as text (the caller parses and re-verifies). */
  async manifests(): Promise<Array<{ version: string; text: string }>> {
    let dirs: string[];
    try {
      dirs = await readdir(this.layout.releases);
    } catch {
      return [];
    }
    const out: Array<{ version: string; text: string }> = [];
    for (const version of dirs) {
      try {
        out.push({ version, text: await readFile(this.layout.manifestFile(version), "utf8") });
      } catch {
        // A directory without its manifest: a crash before the manifest was saved.
      }
    }
    return out;
  }

  async writeChunk(version: string, artifact: string, index: number, bytes: Uint8Array) {
    await mkdir(this.layout.artifactDir(version, artifact), { recursive: true, mode: 0o700 });
    await writeAtomic(this.layout.chunkFile(version, artifact, index), bytes);
  }

  readChunk(version: string, artifact: string, index: number): Promise<Uint8Array> {
    return readFile(this.layout.chunkFile(version, artifact, index));
  }

  /** Indexes of the chunks held for one artifact. */
  async held(version: string, artifact: string): Promise<number[]> {
    try {
      const names = await readdir(this.layout.artifactDir(version, artifact));
      return names.filter((n) => /^\d+$/.test(n)).map(Number);
    } catch {
      return [];
    }
  }

  /** The artifact's bytes from its chunks, in order; the caller checks size and SHA-512. */
  async assemble(version: string, artifact: string, chunks: number): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    for (let i = 0; i < chunks; i++) parts.push(await this.readChunk(version, artifact, i));
    return new Uint8Array(Buffer.concat(parts));
  }

  async remove(version: string): Promise<void> {
    await rm(this.layout.releaseDir(version), { recursive: true, force: true });
  }
}

async function writeAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(tmp, data, { mode: 0o600 });
  await rename(tmp, file);
}
