import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { needs } from "../installers/support/tools";
import { BUNDLE } from "../support/nodeProcess";
import { freePort } from "../support/ports";
import { nodeApi, type TestnetNodeInfo, useTestnet } from "../support/testnet";
import { randomRelease } from "../support/upgradeBench";
import { releaseKey } from "../support/upgradeRelease";

/**
 * The operators' dashboard in a real Chromium (Debian's package, driven by playwright-core
 * with its executable path: no browser download). Screenshots go to
 * test-results/dashboard/, for people to look at.
 */
/** The page's document, as the functions run in the browser see it (no DOM types here). */
declare const document: {
  getElementById(id: string): { textContent: string | null } | null;
  querySelector(selector: string): { textContent: string | null } | null;
};

const browserTool = needs(["chromium", "chromium"]);
const SHOTS = resolve("test-results/dashboard");

describe.skipIf(browserTool.skip)(`the dashboard${browserTool.why}`, () => {
  let key: ReturnType<typeof releaseKey>;
  const net = useTestnet({
    prefix: "anode-dashboard-",
    nodes: 3,
    env: (dir) => {
      key = releaseKey(dir);
      return { ...key.env, ANODE_UPGRADE_POLICY: "notify" };
    },
  });
  let browser: Browser;
  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    browser = await chromium.launch({
      executablePath: "/usr/bin/chromium",
      // Root in a container has no user namespace for Chromium's sandbox.
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  const open = async (node: TestnetNodeInfo): Promise<Page> => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`http://${node.host}:${node.apiPort}/`);
    return page;
  };
  const tokenOf = (node: TestnetNodeInfo) =>
    readFileSync(join(node.dir, "api.token"), "utf8").trim();

  it("refuses a wrong token and keeps asking for one", async () => {
    const node = net.nodes()[2] as TestnetNodeInfo;
    const page = await open(node);
    await page.fill("#token", "not-the-token");
    await page.click("#login button");
    await page.waitForSelector("text=The token was refused", { timeout: 10_000 });
    expect(await page.isVisible("#app")).toBe(false);
    expect(await page.evaluate(() => sessionStorage.getItem("anode.token"))).toBeNull();
    await page.screenshot({ path: join(SHOTS, "refused.png") });
    await page.close();
  });

  it("logs in, shows the node, a transaction submitted from the CLI, and a release reaching 100 %", async () => {
    const [origin, , watched] = net.nodes() as [TestnetNodeInfo, TestnetNodeInfo, TestnetNodeInfo];
    const page = await open(watched);
    await page.fill("#token", tokenOf(watched));
    await page.click("#login button");
    await page.waitForSelector("#app:not([hidden])", { timeout: 10_000 });
    await page.waitForFunction(
      (id) => document.getElementById("node-table")?.textContent?.includes(id),
      watched.id,
      { timeout: 10_000 },
    );
    await page.waitForSelector("#live.ok", { timeout: 10_000 });
    expect(await page.textContent("#engines-table")).toContain("mempool");
    expect(await page.textContent("#peers-table")).toContain(origin.id.slice(0, 12));
    await page.screenshot({ path: join(SHOTS, "node.png"), fullPage: true });

    const sent = await net.cli(watched, [
      "tx",
      "submit",
      "--put",
      "seen=dashboard",
      "--wait",
      "--json",
    ]);
    expect(sent.code, sent.stderr).toBe(0);
    const id = (JSON.parse(sent.stdout) as { id: string }).id;
    await page.waitForFunction(
      (txId) => document.getElementById("txs-table")?.textContent?.includes(txId),
      id,
      { timeout: 20_000 },
    );
    await page.screenshot({ path: join(SHOTS, "transaction.png"), fullPage: true });

    // A release published on another node, fetched by this one: its bar reaches 100 %.
    const release = randomRelease(net.dir, { version: "9.1.0", size: 4 * 1024 * 1024, key });
    const published = await net.cli(origin, ["release", "publish", release.manifestFile], 60_000);
    expect(published.code, published.stderr).toBe(0);
    await page.waitForSelector('.release-progress[data-version="9.1.0"]', { timeout: 30_000 });
    await page.waitForFunction(
      () =>
        document.querySelector('.release-progress[data-version="9.1.0"]')?.textContent?.trim() ===
        "100 %",
      undefined,
      { timeout: 60_000 },
    );
    const status = await nodeApi<{ releases: Array<{ version: string; status: string }> }>(
      watched,
      "GET",
      "/v1/upgrade/status",
    );
    expect(status.releases.find((r) => r.version === "9.1.0")?.status).not.toBe("fetching");
    await page.screenshot({ path: join(SHOTS, "release.png"), fullPage: true });

    // Logging out forgets the token.
    await page.click("#logout");
    await page.waitForSelector("#login:not([hidden])");
    expect(await page.evaluate(() => sessionStorage.getItem("anode.token"))).toBeNull();
    await page.close();
  }, 150_000);

  it("shows every node of the testnet on one page, and a release spreading to all of them", async () => {
    const port = await freePort();
    const server = spawn(
      process.execPath,
      [BUNDLE, "testnet", "dashboard", "--dir", net.net, "--port", String(port)],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    try {
      await new Promise<void>((ready, fail) => {
        const timer = setTimeout(
          () => fail(new Error("testnet dashboard did not start in 20 s")),
          20_000,
        );
        server.stdout?.on("data", (d: Buffer) => {
          if (d.toString().includes("testnet dashboard of")) {
            clearTimeout(timer);
            ready();
          }
        });
        server.once("exit", (code) => fail(new Error(`testnet dashboard exited with ${code}`)));
      });
      const page = await browser.newPage({ viewport: { width: 1200, height: 500 } });
      await page.goto(`http://127.0.0.1:${port}/`);
      await page.waitForFunction(
        () => document.querySelector("#nodes")?.textContent?.includes("running"),
        undefined,
        { timeout: 15_000 },
      );
      const origin = net.nodes()[0] as TestnetNodeInfo;
      for (const n of net.nodes())
        expect(await page.textContent("#nodes")).toContain(n.id.slice(0, 12));

      const release = randomRelease(net.dir, { version: "9.2.0", size: 4 * 1024 * 1024, key });
      const published = await net.cli(origin, ["release", "publish", release.manifestFile], 60_000);
      expect(published.code, published.stderr).toBe(0);
      await page.waitForFunction(
        () => document.querySelector("#summary")?.textContent?.includes("9.2.0 on 3 of 3"),
        undefined,
        { timeout: 60_000 },
      );
      await page.screenshot({ path: join(SHOTS, "testnet.png"), fullPage: true });
      // Another site's page cannot read the nodes through this server.
      const foreign = await fetch(`http://127.0.0.1:${port}/api/nodes`, {
        headers: { origin: "http://evil.example" },
      });
      expect(foreign.status).toBe(421);
      await page.close();
    } finally {
      server.kill("SIGTERM");
    }
  }, 120_000);
});
