import { OPERATOR, type OperatorCall, UPGRADE } from "../engines";
import type { ApiDeps } from "./apiDeps";
import { readJsonBody, readRawBody } from "./readBody";
import { badRequest } from "./requestParams";
import type { Reply, Route } from "./routeTable";

/** Largest artifact the publisher may upload through the API (a binary is ~100 MB). */
export const MAX_ARTIFACT_UPLOAD_BYTES = 512 * 1024 * 1024;
/** Applying swaps engines and may wait for a busy one to finish its message. */
const UPGRADE_CALL_TIMEOUT_MS = 120_000;

type Operation = OperatorCall extends infer C
  ? C extends OperatorCall
    ? Omit<C, "op">
    : never
  : never;

const operate = async (deps: ApiDeps, msg: Operation): Promise<Reply> => ({
  status: 200,
  body: await deps.mailer.call(
    { engine: UPGRADE },
    { ...msg, op: OPERATOR },
    UPGRADE_CALL_TIMEOUT_MS,
  ),
});

/**
 * The control API's upgrade endpoints:
 *
 *   GET  /v1/upgrade/status
 *   POST /v1/upgrade/releases                          { signed: "<manifest.json text>" }
 *   PUT  /v1/upgrade/releases/:version/artifacts/:name  raw artifact bytes
 *   POST /v1/upgrade/releases/:version/announce        gossip the manifest
 *   POST /v1/upgrade/apply                             { version? }
 *   POST /v1/upgrade/rollback
 *   POST /v1/upgrade/unblock                           { version }
 */
export const upgradeRoutes: Route[] = [
  {
    method: "GET",
    path: "/v1/upgrade/status",
    handler: ({ deps }) => operate(deps, { type: "status" }),
  },
  {
    method: "POST",
    path: "/v1/upgrade/releases",
    async handler({ req, deps }) {
      const body = (await readJsonBody(req)) as { signed?: unknown };
      if (typeof body?.signed !== "string")
        throw badRequest('the body needs { "signed": "<manifest.json text>" }');
      return operate(deps, { type: "publish", signed: body.signed });
    },
  },
  {
    method: "PUT",
    path: "/v1/upgrade/releases/:version/artifacts/:name",
    async handler({ req, deps, params }) {
      const bytes = new Uint8Array(await readRawBody(req, MAX_ARTIFACT_UPLOAD_BYTES));
      return operate(deps, {
        type: "storeArtifact",
        version: params.version as string,
        name: params.name as string,
        bytes,
      });
    },
  },
  {
    method: "POST",
    path: "/v1/upgrade/releases/:version/announce",
    handler: ({ deps, params }) =>
      operate(deps, { type: "announce", version: params.version as string }),
  },
  {
    method: "POST",
    path: "/v1/upgrade/apply",
    async handler({ req, deps }) {
      const body = (await readJsonBody(req).catch(() => ({}))) as { version?: unknown };
      return operate(deps, {
        type: "apply",
        ...(typeof body?.version === "string" ? { version: body.version } : {}),
      });
    },
  },
  {
    method: "POST",
    path: "/v1/upgrade/rollback",
    handler: ({ deps }) => operate(deps, { type: "rollback" }),
  },
  {
    method: "POST",
    path: "/v1/upgrade/unblock",
    async handler({ req, deps }) {
      const body = (await readJsonBody(req)) as { version?: unknown };
      if (typeof body?.version !== "string")
        throw badRequest('the body needs { "version": "<version>" }');
      return operate(deps, { type: "unblock", version: body.version });
    },
  },
];
