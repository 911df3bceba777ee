import type { FileHandle } from "node:fs/promises";

const CHUNK_BYTES = 64 * 1024;

/** Sequential exact-size reads from a file through one reusable buffer. */
export class ByteReader {
  readonly #handle: FileHandle;
  readonly #buffer: Uint8Array;
  #start = 0;
  #end = 0;
  #filePosition = 0;

  constructor(handle: FileHandle, chunkBytes = CHUNK_BYTES) {
    this.#handle = handle;
    this.#buffer = new Uint8Array(chunkBytes);
  }

  /** The next `n` bytes, or undefined when the file ends first. */
  async readExact(n: number): Promise<Uint8Array | undefined> {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      if (this.#start === this.#end && (await this.#fill()) === 0) return undefined;
      const take = Math.min(n - filled, this.#end - this.#start);
      out.set(this.#buffer.subarray(this.#start, this.#start + take), filled);
      filled += take;
      this.#start += take;
    }
    return out;
  }

  async atEnd(): Promise<boolean> {
    return this.#start === this.#end && (await this.#fill()) === 0;
  }

  async #fill(): Promise<number> {
    const { bytesRead } = await this.#handle.read(
      this.#buffer,
      0,
      this.#buffer.length,
      this.#filePosition,
    );
    this.#filePosition += bytesRead;
    this.#start = 0;
    this.#end = bytesRead;
    return bytesRead;
  }
}
