import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

/** The platforms the formula installs, each as `anode-<platform>` in the release. */
export const FORMULA_PLATFORMS = ["macos-arm64", "macos-x64", "linux-arm64", "linux-x64"];

/** `<sha256>  <name>` lines (sha256sum's format; `*name` for binary mode too). */
export function readSums(dir) {
  const sums = new Map();
  for (const line of readFileSync(join(dir, "SHA256SUMS"), "utf8").split("\n")) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line.trim());
    if (m) sums.set(m[2], m[1]);
  }
  return sums;
}

/**
 * homebrew/anode.rb.template filled from a release directory's SHA256SUMS: one URL and
 * sha256 per platform. Throws if a platform is missing from SHA256SUMS or a listed
 * binary's bytes do not match it (when the binaries are in the directory).
 */
export function renderFormula({ dir, baseUrl, version, homepage }) {
  const base = baseUrl.replace(/\/+$/, "");
  if (!/^https:\/\//.test(base))
    throw new Error(`Cannot render: --base-url must be https (${base})`);
  const sums = readSums(dir);
  const fields = { homepage, version: version.replace(/^v/, ""), base_url: base };
  for (const platform of FORMULA_PLATFORMS) {
    const name = `anode-${platform}`;
    const sha = sums.get(name);
    if (sha === undefined) throw new Error(`Cannot render: SHA256SUMS in ${dir} lists no ${name}`);
    const file = join(dir, name);
    if (existsSync(file)) {
      const actual = createHash("sha256").update(readFileSync(file)).digest("hex");
      if (actual !== sha) {
        throw new Error(`Cannot render: ${file} has sha256 ${actual}, SHA256SUMS says ${sha}`);
      }
    }
    fields[`sha256_${platform.replace("-", "_")}`] = sha;
  }
  const template = readFileSync(new URL("anode.rb.template", import.meta.url), "utf8");
  return template.replace(/\{\{(\w+)\}\}/g, (_, key) => {
    if (!(key in fields))
      throw new Error(`Cannot render: the template names an unknown field ${key}`);
    return fields[key];
  });
}
