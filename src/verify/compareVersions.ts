// A pre-release identifier is numeric without leading zeros, or alphanumeric (semver.org §9):
// `01` would sort as 1 while being a different string, a second spelling of one version.
const PRE_ID = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
const SEMVER = new RegExp(
  `^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?(\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

/** True for a semantic version such as `1.2.3`, `1.2.3-beta.1` or `1.2.3+g1a2b3c`. */
export function isVersion(text: string): boolean {
  return SEMVER.test(text);
}

/**
 * True for a version a release may carry: a semantic version without build metadata.
 * Precedence ignores `+build`, while a node keys what it knows (accepted digests, bad
 * marks, staging folders) by the version string; `0.7.0+a` and `0.7.0+b` would be one
 * version to the one and two to the other, an equivocation no node would notice.
 */
export function isReleaseVersion(text: string): boolean {
  const m = SEMVER.exec(text);
  return m !== null && m[5] === undefined;
}

/**
 * Orders two semantic versions (negative, zero, positive), build metadata ignored and a
 * pre-release lower than its release, as semver.org §11 says. Throws on a non-version so
 * a typo can never sort as "newest".
 */
export function compareVersions(a: string, b: string): number {
  const pa = parse(a);
  const pb = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (pa.core[i] ?? 0) - (pb.core[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (pa.pre.length === 0 || pb.pre.length === 0) {
    return pa.pre.length === pb.pre.length ? 0 : pa.pre.length === 0 ? 1 : -1;
  }
  const n = Math.max(pa.pre.length, pb.pre.length);
  for (let i = 0; i < n; i++) {
    const x = pa.pre[i];
    const y = pb.pre[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const d = compareIdentifier(x, y);
    if (d !== 0) return d;
  }
  return 0;
}

function parse(v: string): { core: number[]; pre: string[] } {
  const m = SEMVER.exec(v);
  if (!m) throw new TypeError(`Cannot compare versions: "${v}" is not a semantic version`);
  return {
    core: [Number(m[1]), Number(m[2]), Number(m[3])],
    pre: m[4] === undefined ? [] : m[4].split("."),
  };
}

function compareIdentifier(x: string, y: string): number {
  const nx = /^\d+$/.test(x);
  const ny = /^\d+$/.test(y);
  if (nx && ny) return Math.sign(Number(x) - Number(y));
  if (nx !== ny) return nx ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}
