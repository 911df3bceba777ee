import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../../src/api";
import type { Mailer } from "../../../src/runtime";

const root = join(__dirname, "../../..");

describe("the Grafana dashboard in docs/", () => {
  it("queries only metrics the node exports, and every family docs/metrics.md lists", async () => {
    const dashboard = JSON.parse(
      readFileSync(join(root, "docs/grafana-dashboard.json"), "utf8"),
    ) as {
      panels: Array<{ title: string; targets: Array<{ expr: string }> }>;
    };
    const mailer: Mailer = {
      call: async () => {
        throw new Error("no engines");
      },
      cast() {},
      send() {},
    };
    const register = createMetrics(mailer, () => ({
      version: "0",
      nodeId: "n",
      networkId: "t",
      p2pListen: "x",
      pid: 1,
      dataDir: "/",
      startedAt: 0,
      restarts: 0,
      restartsByChild: {},
      engines: [],
    }));
    const exported = new Set(register.getMetricsAsArray().map((m) => m.name));
    const seriesOf = (name: string) => name.replace(/_(bucket|sum|count)$/, "");
    const used = new Set<string>();
    for (const panel of dashboard.panels) {
      for (const t of panel.targets) {
        for (const [name] of t.expr.matchAll(/anode_[a-z0-9_]+/g)) {
          const family = exported.has(name) ? name : seriesOf(name);
          expect(exported.has(family), `${panel.title}: ${name}`).toBe(true);
          used.add(family);
        }
      }
    }
    const listed = readFileSync(join(root, "docs/metrics.md"), "utf8").matchAll(
      /^\| `(anode_[a-z0-9_]+)` \|/gm,
    );
    for (const [, name] of listed) {
      expect(exported.has(name as string), `docs/metrics.md lists ${name}`).toBe(true);
      expect(used.has(name as string), `the dashboard charts ${name}`).toBe(true);
    }
  });
});
