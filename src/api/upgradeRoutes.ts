import type { IncomingMessage } from "node:http";
import { OPERATOR, type OperatorCall, UPGRADE } from "../engines";
import type { ApiDeps } from "./apiDeps";
import { ApiError } from "./apiError";
import { readJsonBody, readRawBody } from "./readBody";

/** Largest artifact the publisher may upload through the API (a binary is ~100 MB). */
export const MAX_ARTIFACT_UPLOAD_BYTES = 512 * 1024 * 1024;
/** Applying swaps engines and may wait for a busy one to finish its message. */
const UPGRADE_CALL_TIMEOUT_MS = 120_000;

type Reply = { status: number; body: unknown };
type Operation = OperatorCall extends infer C
  ? C extends OperatorCall
    ? Omit<C, "op">
    : never
  : never;

/**
 * The control API's upgrade endpoints, or undefined when the path is not one of them:
 *
 *   GET  /v1/upgrade/status
 *   POST /v1/upgrade/releases                          { signed: "<manifest.json text>" }
 *   PUT  /v1/upgrade/releases/:version/artifacts/:name  raw artifact bytes
 *   POST /v1/upgrade/releases/:version/announce        gossip the manifest
 *   POST /v1/upgrade/apply                             { version? }
 *   POST /v1/upgrade/rollback
 *   POST /v1/upgrade/unblock                           { version }
 */
export async function upgradeRoutes(
  req: IncomingMessage,
  path: string,
  deps: ApiDeps,
): Promise<Reply | undefined> {
  if (!path.startsWith("/v1/upgrade/")) return undefined;
  const method = req.method ?? "GET";
  const call = async (msg: Operation) => ({
    status: 200,
    body: await deps.mailer.call(
      { engine: UPGRADE },
      { ...msg, op: OPERATOR },
      UPGRADE_CALL_TIMEOUT_MS,
    ),
  });
  if (path === "/v1/upgrade/status" && method === "GET") return call({ type: "status" });
  if (path === "/v1/upgrade/releases" && method === "POST") {
    const body = (await readJsonBody(req)) as { signed?: unknown };
    if (typeof body?.signed !== "string")
      throw bad('the body needs { "signed": "<manifest.json text>" }');
    return call({ type: "publish", signed: body.signed });
  }
  const artifact = /^\/v1\/upgrade\/releases\/([^/]+)\/artifacts\/([^/]+)$/.exec(path);
  if (artifact && method === "PUT") {
    const bytes = await readRaw(req, MAX_ARTIFACT_UPLOAD_BYTES);
    return call({
      type: "storeArtifact",
      version: decodeURIComponent(artifact[1] as string),
      name: decodeURIComponent(artifact[2] as string),
      bytes,
    });
  }
  const announce = /^\/v1\/upgrade\/releases\/([^/]+)\/announce$/.exec(path);
  if (announce && method === "POST") {
    return call({ type: "announce", version: decodeURIComponent(announce[1] as string) });
  }
  if (path === "/v1/upgrade/apply" && method === "POST") {
    const body = (await readJsonBody(req).catch(() => ({}))) as { version?: unknown };
    return call({
      type: "apply",
      ...(typeof body?.version === "string" ? { version: body.version } : {}),
    });
  }
  if (path === "/v1/upgrade/rollback" && method === "POST") return call({ type: "rollback" });
  if (path === "/v1/upgrade/unblock" && method === "POST") {
    const body = (await readJsonBody(req)) as { version?: unknown };
    if (typeof body?.version !== "string") throw bad('the body needs { "version": "<version>" }');
    return call({ type: "unblock", version: body.version });
  }
  return undefined;
}

async function readRaw(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Uint8Array(await readRawBody(req, limit));
}

function bad(reason: string): ApiError {
  return new ApiError({ code: "API_BAD_REQUEST", reason }, `Cannot serve request: ${reason}`);
}
