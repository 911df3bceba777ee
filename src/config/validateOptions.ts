import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import { compileOptionsValidator } from "./compileOptionsValidator";
import type { ConfigIssue } from "./configError";
import { patternHints } from "./nodeOptionsSchema";

let compiled: ValidateFunction | undefined;

// Made on first use: startup paths that never validate (e.g. `--help`) skip it.
function validator(): ValidateFunction {
  compiled ??= compileOptionsValidator();
  return compiled;
}

const typeNames: Record<string, string> = {
  integer: "an integer",
  number: "a number",
  string: "a string",
  boolean: "a boolean",
  object: "an object",
  array: "an array",
};

function describe(error: ErrorObject): { path: string; message: string } {
  const at = error.instancePath;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties":
      return {
        path: `${at}/${String(params.additionalProperty)}`,
        message: "is not a known option",
      };
    case "required":
      return { path: `${at}/${String(params.missingProperty)}`, message: "is required" };
    case "enum":
      return {
        path: at,
        message: `must be one of ${(params.allowedValues as string[]).join(", ")}`,
      };
    case "pattern": {
      const pattern = String(params.pattern);
      return { path: at, message: `must be ${patternHints[pattern] ?? `like ${pattern}`}` };
    }
    case "type":
      return {
        path: at,
        message: `must be ${typeNames[String(params.type)] ?? String(params.type)}`,
      };
    default:
      return { path: at, message: error.message ?? `fails ${error.keyword}` };
  }
}

/**
 * Checks a (partial) options tree against the schema and reports every failing path.
 * `origin` names what the operator typed for a path, so messages point at the flag,
 * variable or file to fix.
 */
export function validateOptions(value: unknown, origin: (path: string) => string): ConfigIssue[] {
  const validate = validator();
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => {
    const { path, message } = describe(error);
    const pointer = path === "" ? "/" : path;
    return { path: pointer, message, origin: origin(pointer) };
  });
}
