import type { CommandRunner } from "./commandRunner";
import { runChecked } from "./runChecked";
import { SERVICE_NAME } from "./serviceConstants";
import { type ServiceDefinition, serviceArgs } from "./serviceDefinition";
import { serviceError } from "./serviceError";
import type { ServiceManager, ServiceStatus } from "./serviceManager";

function quote(arg: string): string {
  return /[\s"]/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg;
}

/**
 * `--user` on Windows: a Task Scheduler task that starts the node at the user's logon.
 * A service under the user's own account would need the user's password stored in the
 * SCM; a logon task needs none and is what a per-user agent is on Windows.
 */
export function schtasksManager(opts: {
  readonly definition: ServiceDefinition;
  readonly runner: CommandRunner;
}): ServiceManager {
  const { definition, runner } = opts;
  const task = `\\${SERVICE_NAME}`;
  const schtasks = (what: string, ...args: string[]) =>
    runChecked(runner, what, "schtasks.exe", args);
  const requireInstalled = async (what: string) => {
    const q = await runner.run("schtasks.exe", ["/Query", "/TN", task]);
    if (q.missing)
      throw serviceError(
        "SERVICE_MANAGER_ABSENT",
        `Cannot ${what}: schtasks.exe is not on this host`,
      );
    if (q.code !== 0)
      throw serviceError(
        "SERVICE_NOT_INSTALLED",
        `Cannot ${what}: no scheduled task ${task} (run \`anode service install --user\` first)`,
      );
  };

  return {
    kind: "schtasks",
    scope: "user",
    definitionPath: `Task Scheduler ${task}`,
    async install() {
      const command = serviceArgs({ ...definition, scope: "user" })
        .map(quote)
        .join(" ");
      await schtasks(
        "register the logon task",
        "/Create",
        "/TN",
        task,
        "/SC",
        "ONLOGON",
        "/RL",
        "LIMITED",
        "/TR",
        command,
        "/F",
      );
    },
    async uninstall() {
      await requireInstalled("uninstall the service");
      await runner.run("schtasks.exe", ["/End", "/TN", task]);
      await schtasks("delete the logon task", "/Delete", "/TN", task, "/F");
    },
    async start() {
      await requireInstalled("start the service");
      await schtasks("start the logon task", "/Run", "/TN", task);
    },
    async stop() {
      await requireInstalled("stop the service");
      await schtasks("stop the logon task", "/End", "/TN", task);
    },
    async status(): Promise<ServiceStatus> {
      const q = await runner.run("schtasks.exe", ["/Query", "/TN", task, "/FO", "LIST"]);
      if (q.missing)
        throw serviceError(
          "SERVICE_MANAGER_ABSENT",
          "Cannot read the service status: schtasks.exe is not on this host",
        );
      if (q.code !== 0) return { installed: false, running: false, state: "not-installed" };
      const state = /^Status:\s*(.+)$/m.exec(q.stdout)?.[1]?.trim() ?? "unknown";
      return { installed: true, running: state === "Running", state };
    },
  };
}
