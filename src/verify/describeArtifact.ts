import { createHash } from "node:crypto";
import { DEFAULT_CHUNK_SIZE } from "./limits";

export interface ArtifactDigest {
  size: number;
  sha512: string;
  chunkSize: number;
  chunks: string[];
}

/** Size, SHA-512 and per-chunk SHA-256 of an artifact's bytes, as a manifest lists them. */
export function describeArtifact(
  bytes: Uint8Array,
  chunkSize = DEFAULT_CHUNK_SIZE,
): ArtifactDigest {
  const chunks: string[] = [];
  for (let at = 0; at < bytes.byteLength; at += chunkSize) {
    chunks.push(sha256Hex(bytes.subarray(at, at + chunkSize)));
  }
  return { size: bytes.byteLength, sha512: sha512Hex(bytes), chunkSize, chunks };
}

export function sha512Hex(bytes: Uint8Array): string {
  return createHash("sha512").update(bytes).digest("hex");
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
