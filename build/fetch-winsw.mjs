// `npm run release:winsw`: downloads the pinned official WinSW into the build cache (or
// ANODE_WINSW_EXE) and checks its SHA-256, for the release command to ship as
// anode-service.exe. Needs the internet; an offline machine gets the file some other way
// (see README, "Binaries and releases").

import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { readPinnedWinsw, WINSW, winswPath } from "./lib/winsw.mjs";

const file = winswPath();
try {
  readPinnedWinsw(file);
  console.error(`WinSW ${WINSW.version} already at ${file}`);
} catch {
  const response = await fetch(WINSW.url);
  if (!response.ok) {
    console.error(`Cannot fetch WinSW: ${WINSW.url} answered ${response.status}`);
    process.exit(1);
  }
  mkdirSync(dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  writeFileSync(partial, new Uint8Array(await response.arrayBuffer()));
  try {
    readPinnedWinsw(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    console.error(err.message);
    process.exit(1);
  }
  renameSync(partial, file);
  console.error(`WinSW ${WINSW.version} verified and saved to ${file}`);
}
