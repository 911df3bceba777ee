import { ApiError } from "./apiError";

export function badRequest(reason: string): ApiError {
  return new ApiError({ code: "API_BAD_REQUEST", reason }, `Cannot serve request: ${reason}`);
}

/** An integer query parameter within [min, max], or undefined when it is absent. */
export function intParam(url: URL, name: string, min: number, max: number): number | undefined {
  const raw = url.searchParams.get(name);
  if (raw === null) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw badRequest(`query parameter "${name}" must be an integer from ${min} to ${max}`);
  }
  return n;
}

/** An integer body field within [min, max], or `fallback` when it is absent. */
export function boundedInt(
  v: unknown,
  name: string,
  min: number,
  max: number,
  fallback: number,
): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < min || v > max) {
    throw badRequest(`"${name}" must be an integer from ${min} to ${max}`);
  }
  return v;
}
