import { SYSTEM_USER } from "./serviceConstants";

/**
 * The systemd-sysusers line that creates the system account (locked, no shell, home
 * /var/lib/anode). The .deb, install.sh and `anode service install` all use it, so the
 * account is the same whichever way the node was installed. (No colon in the comment
 * field: it is a GECOS field of /etc/passwd.)
 */
export function renderSysusersConf(): string {
  return `# Rendered from src/service/renderSysusersConf.ts; edit that, not this file.
u ${SYSTEM_USER.linux} - "anode node" /var/lib/anode
`;
}
