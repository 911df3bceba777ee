export type { ApiDeps, NodeInfo } from "./apiDeps";
export { type ApiArgs, apiEngine, MAX_STREAM_BUFFER_BYTES } from "./apiEngine";
export { ApiError, type ApiErrorType, httpStatusOf } from "./apiError";
export { ensureToken, TOKEN_FILE, tokenMatches, tokenPath } from "./apiToken";
export { createMetrics } from "./createMetrics";
export { authorize, errorReply, handleHttp, MAX_WAIT_MS } from "./handleHttp";
export { toJsonValue } from "./jsonValue";
export { parseEventFilter } from "./parseEventFilter";
export { MAX_BODY_BYTES, readJsonBody } from "./readBody";
