import { join } from "node:path";

/**
 * The upgrade engine's staging area: everything a release brings before it is applied.
 * Refused or half-fetched releases never leave it (boot's `<dataDir>/app` changes only
 * when a verified app bundle is applied).
 *
 *   <dataDir>/upgrade/state.json                       highest accepted, known, bad
 *   <dataDir>/upgrade/releases/<version>/manifest.json  the signed manifest
 *   <dataDir>/upgrade/releases/<version>/<artifact>/<index>   verified chunks
 */
export function stagingLayout(dataDir: string) {
  const root = join(dataDir, "upgrade");
  const releases = join(root, "releases");
  return {
    root,
    stateFile: join(root, "state.json"),
    releases,
    releaseDir: (version: string) => join(releases, version),
    manifestFile: (version: string) => join(releases, version, "manifest.json"),
    artifactDir: (version: string, artifact: string) => join(releases, version, artifact),
    chunkFile: (version: string, artifact: string, index: number) =>
      join(releases, version, artifact, String(index)),
  };
}
