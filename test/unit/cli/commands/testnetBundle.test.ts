import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseHosts } from "../../../../src/cli/commands/testnet/bundle";
import { cli } from "../../../support/cliHarness";
import { useTempDir } from "../../../support/useTempDir";

const dir = useTempDir("anode-bundle-cli-");

describe("anode testnet bundle", () => {
  it("writes a private folder per host whose configs name each other, and refuses to overwrite", async () => {
    const out = join(dir(), "hosts");
    const r = await cli([
      "--json",
      "testnet",
      "bundle",
      "--hosts",
      "10.0.0.1, node-b.example,10.0.0.3",
      "--validators",
      "2",
      "--port",
      "9000",
      "--out",
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      hosts: Array<{ host: string; id: string; validates: string[] }>;
    };
    expect(summary.hosts.map((h) => [h.host, h.validates])).toEqual([
      ["10.0.0.1", ["chain-0"]],
      ["node-b.example", ["chain-0"]],
      ["10.0.0.3", []],
    ]);
    const config = JSON.parse(readFileSync(join(out, "10.0.0.3", "config.json"), "utf8"));
    expect(config.p2p.listen).toBe("0.0.0.0:9000");
    const peers = (config.p2p.peers as Array<{ address: string }>).map((p) => p.address);
    for (const a of peers) expect(["10.0.0.1:9000", "node-b.example:9000"]).toContain(a);
    expect(statSync(join(out, "10.0.0.3", "node.key")).mode & 0o077).toBe(0);
    expect(readFileSync(join(out, "10.0.0.1", "apply.sh"), "utf8")).toMatch(/^#!\/bin\/sh\n/);
    const again = await cli(["testnet", "bundle", "--hosts", "10.0.0.1,10.0.0.2", "--out", out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("it is not empty (its keys may be in use");
  });

  it("says what is wrong with --hosts", async () => {
    expect(() => parseHosts("10.0.0.1")).toThrow(/two or more different hosts/);
    expect(() => parseHosts("a,a")).toThrow(/two or more different hosts/);
    expect(() => parseHosts("a,b c")).toThrow(/Cannot use host "b c"/);
    expect(() => parseHosts("a,-b")).toThrow(/IPv4 addresses or DNS names/);
    const r = await cli(["testnet", "bundle", "--out", join(dir(), "x")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("Cannot make a bundle: give --hosts");
  });
});
