import { execFileSync } from "node:child_process";

export interface WorkflowStep {
  readonly job: string;
  readonly name: string;
  readonly run: string;
}

interface Workflow {
  jobs: Record<string, { "runs-on": string; steps: Array<{ name?: string; run?: string }> }>;
}

/**
 * The `run` steps of a workflow's jobs that run on a Linux runner, in the order the jobs
 * and steps come (needs: chains them that way in our workflows). YAML is read by Ruby's
 * own parser (.ci/run installs ruby), so the test reads what GitHub reads.
 */
export function linuxRunSteps(file: string): WorkflowStep[] {
  const json = execFileSync(
    "ruby",
    [
      "-ryaml",
      "-rjson",
      "-e",
      "puts JSON.dump(YAML.safe_load(File.read(ARGV[0]), aliases: false))",
      file,
    ],
    { encoding: "utf8" },
  );
  const workflow = JSON.parse(json) as Workflow;
  const steps: WorkflowStep[] = [];
  for (const [job, spec] of Object.entries(workflow.jobs)) {
    if (!/^ubuntu-/.test(spec["runs-on"])) continue;
    for (const step of spec.steps) {
      if (step.run !== undefined) steps.push({ job, name: step.name ?? step.run, run: step.run });
    }
  }
  return steps;
}

/** The npm scripts a step runs (`npm run <name>`), in order. */
export function npmScriptsOf(step: WorkflowStep): string[] {
  return [...step.run.matchAll(/npm run ([\w:.-]+)/g)].map((m) => m[1] ?? "");
}
