import { describe, expect, it } from "vitest";
import { matchRoute, type Route } from "../../../src/api/routeTable";

const route = (method: Route["method"], path: string): Route => ({
  method,
  path,
  handler: async () => ({ status: 200, body: path }),
});
const routes = [
  route("GET", "/v1/state/:key"),
  route("GET", "/v1/state/:key/history"),
  route("POST", "/v1/tx"),
  route("GET", "/v1/tx/:id"),
  route("PUT", "/v1/upgrade/releases/:version/artifacts/:name"),
];

describe("matchRoute()", () => {
  it("takes literal segments as they are and parameters percent-decoded", () => {
    expect(matchRoute(routes, "GET", "/v1/state/a%2Fb")).toMatchObject({
      route: { path: "/v1/state/:key" },
      params: { key: "a/b" },
    });
    expect(matchRoute(routes, "GET", "/v1/state/x/history")).toMatchObject({
      route: { path: "/v1/state/:key/history" },
      params: { key: "x" },
    });
    expect(
      matchRoute(routes, "PUT", "/v1/upgrade/releases/1.2.0/artifacts/anode-app.cjs"),
    ).toMatchObject({ params: { version: "1.2.0", name: "anode-app.cjs" } });
  });

  it("says which methods a path takes when the method is wrong", () => {
    expect(matchRoute(routes, "DELETE", "/v1/tx")).toEqual({ allowed: ["POST"] });
    expect(matchRoute(routes, "POST", "/v1/state/k")).toEqual({ allowed: ["GET"] });
  });

  it("matches nothing for other paths, empty parameters or bad percent-encoding", () => {
    expect(matchRoute(routes, "GET", "/v1/nope")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/v1/tx/")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/v1/tx/a/b")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/v1/state/%E0%A4%A")).toBeUndefined();
    expect(matchRoute(routes, "GET", "/v1/tx")).toEqual({ allowed: ["POST"] });
  });
});
