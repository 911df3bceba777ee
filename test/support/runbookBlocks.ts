/** A shell block of a runbook that its test runs: the name after the marker, and the code. */
export interface RunbookBlock {
  name: string;
  code: string;
  /** 1-based line of the block's first command in the markdown file. */
  line: number;
}

// `<!-- runbook:test NAME -->` directly above a ```sh fence marks a block as runnable;
// other blocks are examples with real-world paths that a test must not run.
const MARKED = /^<!-- runbook:test ([A-Za-z0-9_-]+) -->\n```sh\n([\s\S]*?)^```$/gm;

/** The runnable blocks of a markdown runbook, in document order; names must be unique. */
export function runbookBlocks(markdown: string): RunbookBlock[] {
  const blocks: RunbookBlock[] = [];
  for (const m of markdown.matchAll(MARKED)) {
    const [, name, code] = m as unknown as [string, string, string];
    if (blocks.some((b) => b.name === name))
      throw new Error(`Cannot read the runbook: two blocks are named ${name}`);
    const line = markdown.slice(0, m.index).split("\n").length + 2;
    blocks.push({ name, code, line });
  }
  const markers = markdown.match(/^<!-- runbook:test/gm)?.length ?? 0;
  if (markers !== blocks.length)
    throw new Error(
      `Cannot read the runbook: ${markers} runbook:test markers but ${blocks.length} are directly followed by a \`\`\`sh block`,
    );
  return blocks;
}
