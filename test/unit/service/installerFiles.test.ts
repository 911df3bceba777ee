import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { installerBlocks, installerFiles, spliceBlock } from "../../../src/service";

const STALE = "stale: run `node build/render-service-files.mjs`";

describe("the installers' service definitions come from src/service", () => {
  for (const f of installerFiles()) {
    it(`${f.path} is what the renderer writes`, () => {
      expect(readFileSync(f.path, "utf8"), STALE).toBe(f.text);
    });
  }

  it("install.sh embeds the rendered unit and sysusers line", () => {
    const script = readFileSync("installers/linux/install.sh", "utf8");
    let expected = script;
    for (const b of installerBlocks()) expected = spliceBlock(expected, b.name, b.variable, b.text);
    expect(script, STALE).toBe(expected);
    expect(script).toContain("ExecStart=/usr/local/bin/anode start --system");
  });

  it("install.sh and install.ps1 trust exactly the keys in build/trusted-keys.json", () => {
    const { keys } = JSON.parse(readFileSync("build/trusted-keys.json", "utf8")) as {
      keys: Array<{ publicKey: string }>;
    };
    const wanted = keys.map((k) => k.publicKey);
    const sh = readFileSync("installers/linux/install.sh", "utf8");
    const block = /ANODE_TRUSTED_KEYS=\$\(cat <<'ANODE_KEYS_EOF'\n([\s\S]*?)ANODE_KEYS_EOF/.exec(
      sh,
    );
    expect(block?.[1]?.trim().split("\n"), STALE).toEqual(wanted);
    const ps1 = readFileSync("installers/windows/install.ps1", "utf8");
    expect(ps1, STALE).toContain(`$EmbeddedKeys = @(${wanted.map((k) => `"${k}"`).join(", ")})`);
  });

  it("build/render-service-files.mjs --check agrees (the script bundles and runs)", () => {
    expect(() =>
      execFileSync(process.execPath, ["build/render-service-files.mjs", "--check"], {
        stdio: "pipe",
      }),
    ).not.toThrow();
  });

  it("spliceBlock() replaces only the marked block with a quoted heredoc", () => {
    const text = "a\n# BEGIN GENERATED X\nold\n# END GENERATED X\nb\n";
    expect(spliceBlock(text, "X", "V", "$HOME `x`\n")).toBe(
      "a\n# BEGIN GENERATED X (src/service; run: node build/render-service-files.mjs)\nV=$(cat <<'ANODE_X_EOF'\n$HOME `x`\nANODE_X_EOF\n)\n# END GENERATED X\nb\n",
    );
  });
});
