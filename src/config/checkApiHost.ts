import { ConfigError, type ConfigSource } from "./configError";
import { LOOPBACK_HOST_PATTERN } from "./nodeOptionsSchema";

const LOOPBACK = new RegExp(LOOPBACK_HOST_PATTERN);

/**
 * The control API binds to loopback unless the operator said, in so many words, that a
 * private network may reach it (`api.privateNetwork`): checked on the merged options,
 * since the host and the permission may come from different layers.
 */
export function checkApiHost(
  api: { host: string; privateNetwork: boolean },
  source: ConfigSource,
  configFile: string,
): void {
  if (api.privateNetwork || LOOPBACK.test(api.host)) return;
  const origin =
    source === "env" ? "ANODE_API_HOST" : source === "flag" ? "flag api.host" : configFile;
  throw ConfigError.invalid(
    source === "default" ? "file" : source,
    [
      {
        path: "/api/host",
        message:
          "must be a loopback address (127.0.0.0/8 or ::1) unless api.privateNetwork is true",
        origin,
      },
    ],
    source === "file" ? { file: configFile } : {},
  );
}
