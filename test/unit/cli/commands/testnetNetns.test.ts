import { describe, expect, it } from "vitest";
import {
  checkNetnsAvailable,
  checkSubnetFree,
  defaultSubnet,
  destroyNetwork,
  ensureNetwork,
  netnsHost,
  parseSubnet,
  planNetwork,
  type Run,
} from "../../../../src/cli/commands/testnet/netns";

/** A host whose `ip` answers from a script; records every command run. */
function fakeHost(answer: (cmd: string, args: string[]) => string | Error = () => "") {
  const calls: string[] = [];
  const run: Run = (cmd, args, input) => {
    calls.push([cmd, ...args, ...(input === undefined ? [] : ["<<", input])].join(" "));
    const a = answer(cmd, args);
    if (a instanceof Error) throw a;
    return a;
  };
  return { run, calls };
}

const failure = (stderr: string) => Object.assign(new Error("Command failed"), { stderr });

describe("testnet --netns network plan", () => {
  it("gives each node an address that is never .0, .1 or .255, and names within 15 characters", () => {
    const net = planNetwork("/tmp/some/testnet", 2000, "10.77", {});
    expect(netnsHost("10.77", 0)).toBe("10.77.0.2");
    expect(netnsHost("10.77", 249)).toBe("10.77.0.251");
    expect(netnsHost("10.77", 250)).toBe("10.77.1.2");
    const hosts = Array.from({ length: 2000 }, (_, i) => netnsHost("10.77", i));
    expect(new Set(hosts).size).toBe(2000);
    for (const h of hosts) expect(h).not.toMatch(/\.(0|1|255)$/);
    expect(net.bridge.length).toBeLessThanOrEqual(15);
    expect(Math.max(...net.veths.map((v) => v.length))).toBeLessThanOrEqual(15);
    expect(new Set(net.veths).size).toBe(2000);
    expect(planNetwork("/tmp/other", 1, "10.77", {}).bridge).not.toBe(net.bridge);
  });

  it("takes a /16 and refuses anything else", () => {
    expect(parseSubnet("10.77.0.0/16")).toBe("10.77");
    expect(parseSubnet(defaultSubnet("ffff0000"))).toMatch(/^10\.(1[2-8][0-9]|19[01])$/);
    for (const bad of ["10.77.0.0/24", "10.77.1.0/16", "127.0.0.0/16", "300.1.0.0/16", "x"])
      expect(() => parseSubnet(bad)).toThrow(/give a \/16 such as 10\.77\.0\.0\/16/);
  });

  it("refuses a /16 the host already routes elsewhere", () => {
    const net = planNetwork("/t", 2, "10.77", {});
    const busy = fakeHost(() => "10.77.0.0/16 dev eth1 proto kernel scope link src 10.77.0.9 \n");
    expect(() => checkSubnetFree(net, busy.run)).toThrow(/already routes it .*--subnet/);
    const ours = fakeHost(() => `10.77.0.0/16 dev ${net.bridge} proto kernel scope link \n`);
    expect(() => checkSubnetFree(net, ours.run)).not.toThrow();
  });

  it("says when ip is missing", () => {
    const none = fakeHost(() => failure("spawn ip ENOENT"));
    if (process.platform === "linux" && process.getuid?.() === 0)
      expect(() => checkNetnsAvailable(none.run)).toThrow(/iproute2/);
  });
});

describe("testnet --netns network build", () => {
  it("builds the bridge, each namespace with its veth, address and loss rule, and only what is missing", () => {
    const net = planNetwork("/t", 2, "10.77", { lossPercent: 2.5 });
    const fresh = fakeHost((_cmd, args) =>
      args[0] === "link" && args[1] === "show" ? failure("Device does not exist") : "",
    );
    ensureNetwork(net, fresh.run);
    const text = fresh.calls.join("\n");
    expect(text).toContain(`ip link add ${net.bridge} type bridge`);
    expect(text).toContain(`ip addr add 10.77.0.1/16 dev ${net.bridge}`);
    expect(text).toContain(`ip netns add ${net.namespaces[1]}`);
    expect(text).toContain(`ip netns exec ${net.namespaces[1]} ip addr add 10.77.0.3/16 dev eth0`);
    expect(text).toMatch(/nft -f - << .*numgen random mod 10000 < 250 drop/s);
    expect(text).not.toContain("netem");

    const half = fakeHost((_cmd, args) =>
      args[1] === "list" ? `${net.namespaces[0]} (id: 0)\n` : "",
    );
    ensureNetwork(net, half.run);
    expect(half.calls.join("\n")).not.toContain(`netns add ${net.namespaces[0]}`);
    expect(half.calls.join("\n")).toContain(`netns add ${net.namespaces[1]}`);
    expect(half.calls.join("\n")).not.toContain("type bridge");
  });

  it("names netem when the kernel lacks it, and the step that failed otherwise", () => {
    const delayed = planNetwork("/t", 1, "10.77", { delayMs: 50, jitterMs: 5 });
    const noNetem = fakeHost((cmd, args) =>
      args.includes("netem") ? failure("Error: Specified qdisc kind is unknown.\n") : cmd && "",
    );
    expect(() => ensureNetwork(delayed, noNetem.run)).toThrow(
      /no netem queueing discipline \(CONFIG_NET_SCH_NETEM/,
    );
    const brokenBridge = fakeHost((_c, args) =>
      args[0] === "link" && args[1] === "add"
        ? failure("RTNETLINK answers: Operation not permitted")
        : "",
    );
    expect(() => ensureNetwork(delayed, brokenBridge.run)).toThrow(
      "Cannot build the testnet network (veth of",
    );
    const noNft = fakeHost((_c, args) =>
      args.includes("nft") ? failure("exec of nft failed") : "",
    );
    expect(() =>
      ensureNetwork(planNetwork("/t", 1, "10.77", { lossPercent: 1 }), noNft.run),
    ).toThrow(/--loss with nftables .*apt-get install nftables/);
  });

  it("removes veths, namespaces and the bridge, skipping what is gone and reporting the rest", () => {
    const net = planNetwork("/t", 2, "10.77", {});
    const gone = fakeHost((_c, args) =>
      args[0] === "netns"
        ? failure('Cannot remove namespace file "/run/netns/x": No such file or directory')
        : args[1] === "del" || args[1] === "show"
          ? failure("Cannot find device")
          : "",
    );
    expect(destroyNetwork(net, gone.run)).toEqual([]);
    const stuck = fakeHost((_c, args) =>
      args[0] === "netns" && args[1] === "del" ? failure("Device or resource busy") : "",
    );
    const failures = destroyNetwork(net, stuck.run);
    expect(failures).toEqual([
      `${net.namespaces[0]}: Device or resource busy`,
      `${net.namespaces[1]}: Device or resource busy`,
    ]);
    expect(stuck.calls).toContain(`ip link del ${net.bridge}`);
  });
});
