/** One path on the way to the config file, as lstat saw it. */
export interface PathOwnership {
  path: string;
  uid: number;
  gid: number;
  /** st_mode: type and permission bits. */
  mode: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const GROUP_WRITE = 0o020;
const OTHER_WRITE = 0o002;
const STICKY = 0o1000;

/**
 * Why a system service must not take release keys from a file, or undefined when only
 * root can change what it reads there. `chain` is the file and every directory above it.
 * The rule is "nothing but root can write it", whatever account the node runs as: the
 * service account (anode, _anode) must not be able to replace the keys that decide what
 * code it runs, and neither must any other. So every entry is owned by root and writable
 * by neither group nor others. A sticky directory (/tmp) may be world-writable: nobody but
 * an entry's owner can rename or delete it there, and the entry itself is checked too. A
 * symlink's own mode means nothing; its directory and its target's chain are checked.
 */
export function trustFileProblem(chain: readonly PathOwnership[]): string | undefined {
  for (const e of chain) {
    const type = e.mode & S_IFMT;
    if (type === S_IFLNK) continue;
    const isDir = type === S_IFDIR;
    const fix = `chown root ${e.path} && chmod ${isDir ? "go-w" : "644"} ${e.path}`;
    const mode = (e.mode & 0o7777).toString(8).padStart(4, "0");
    const sticky = isDir && (e.mode & STICKY) !== 0;
    if (!sticky && (e.mode & OTHER_WRITE) !== 0) {
      return `${e.path} is writable by every account (mode ${mode}; ${fix})`;
    }
    if (!sticky && (e.mode & GROUP_WRITE) !== 0) {
      return `${e.path} is writable by group ${e.gid} (mode ${mode}; ${fix})`;
    }
    if (e.uid !== 0) return `${e.path} is owned by uid ${e.uid}, who can write it (${fix})`;
  }
  return undefined;
}
