// The message map: for each engine, the messages it takes (the string literals its
// handlers switch on) and, for each, which code sends it. A reader cannot follow a
// message through a mailbox by reading imports; this reads the sources instead.
// `node build/message-map.mjs` writes docs/message-map.md; a test checks it is current.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "@babel/parser";

/** The engine name constants, as the sources spell them. */
const NAME_FILES = [
  "src/engines/names.ts",
  "src/engines/upgrade/messages.ts",
  "src/runtime/broker.ts",
];

/** Where each engine's handlers live (the files whose `case "x"` / `type === "x"` count). */
const ENGINE_HOMES = {
  router: ["src/engines/router"],
  logger: ["src/engines/logger"],
  storage: ["src/engines/storage"],
  ordering: ["src/engines/ordering"],
  mempool: ["src/engines/mempool"],
  executor: ["src/engines/executor/executorEngine.ts"],
  worker: ["src/engines/executor/workerEngine.ts"],
  api: ["src/api/apiEngine.ts"],
  transport: ["src/engines/transport"],
  consensus: ["src/engines/consensus"],
  upgrade: ["src/engines/upgrade"],
  broker: ["src/runtime/broker.ts"],
};

/** Who a file speaks for: the engine whose home holds it, else its folder. */
function senderOf(file) {
  for (const [engine, homes] of Object.entries(ENGINE_HOMES)) {
    if (homes.some((h) => file === h || file.startsWith(`${h}/`))) return engine;
  }
  return file.split("/").slice(0, 2).join("/");
}

function files(root, dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) out.push(...files(root, path));
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out.sort();
}

function ast(root, file) {
  return parse(readFileSync(join(root, file), "utf8"), {
    sourceType: "module",
    plugins: ["typescript"],
  });
}

function walk(node, visit) {
  if (node === null || typeof node !== "object") return;
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (typeof node.type === "string") visit(node);
  for (const [key, value] of Object.entries(node)) {
    if (key !== "loc" && key !== "start" && key !== "end" && key !== "extra") walk(value, visit);
  }
}

function engineNames(root) {
  const names = new Map();
  for (const file of NAME_FILES) {
    walk(ast(root, file).program, (n) => {
      if (n.type === "VariableDeclarator" && n.init?.type === "StringLiteral" && n.id.name)
        names.set(n.id.name, n.init.value);
    });
  }
  return names;
}

const prop = (obj, name) =>
  obj?.type === "ObjectExpression"
    ? obj.properties.find(
        (p) => p.type === "ObjectProperty" && (p.key.name ?? p.key.value) === name,
      )
    : undefined;

/** The engine an address expression names: `X`, `scoped(X)`, `${X}${scope}`, "name". */
function engineOf(expr, names) {
  if (expr === undefined) return undefined;
  if (expr.type === "Identifier") return names.get(expr.name);
  if (expr.type === "StringLiteral") return expr.value;
  if (expr.type === "CallExpression") {
    // An address helper named after its engine: consensusOf(chain).
    const helper = /^([a-z]+)Of$/.exec(expr.callee.name ?? "")?.[1];
    if (helper !== undefined && [...names.values()].includes(helper)) return helper;
    return engineOf(expr.arguments[0], names);
  }
  if (expr.type === "TemplateLiteral") return engineOf(expr.expressions[0], names);
  if (expr.type === "MemberExpression") return engineOf(expr.object, names);
  return undefined;
}

const KIND = { call: "call", cast: "cast", send: "info", ask: "call" };

/** Every `x.call|cast|send({ engine }, { type: "..." })` and `call(ENGINE, { type })` in src. */
function sends(root, names) {
  const out = [];
  for (const file of files(root, "src")) {
    const program = ast(root, file).program;
    // A message built first and sent by name: `const msg = { type: "order", ... }`.
    const objects = new Map();
    walk(program, (n) => {
      if (n.type === "VariableDeclarator" && n.init?.type === "ObjectExpression" && n.id.name)
        if (!objects.has(n.id.name)) objects.set(n.id.name, n.init);
    });
    const literal = (e) => (e?.type === "Identifier" ? objects.get(e.name) : e);
    walk(program, (n) => {
      if (n.type !== "CallExpression") return;
      const callee = n.callee.type === "MemberExpression" ? n.callee.property.name : n.callee.name;
      // A message to itself: ctx.info(msg) now, ctx.sendAfter(ms, msg) on a timer.
      if ((callee === "info" && n.arguments.length === 1) || callee === "sendAfter") {
        const type = prop(literal(n.arguments.at(-1)), "type")?.value;
        if (type?.type === "StringLiteral" && senderOf(file) in ENGINE_HOMES) {
          const engine = senderOf(file);
          const kind = callee === "info" ? "info" : "timer";
          out.push({ engine, type: type.value, kind, from: engine, remote: false, file });
        }
        return;
      }
      // The control API's one wrapper for the upgrade engine's operator calls.
      if (callee === "operate") {
        const type = prop(literal(n.arguments[1]), "type")?.value;
        if (type?.type === "StringLiteral")
          out.push({
            engine: "upgrade",
            type: type.value,
            kind: "call",
            from: senderOf(file),
            remote: false,
            file,
          });
        return;
      }
      const kind = KIND[callee];
      if (kind === undefined) return;
      const [to, raw] = n.arguments;
      const msg = literal(raw);
      const type = prop(msg, "type")?.value;
      if (type?.type !== "StringLiteral") return;
      const target = to?.type === "ObjectExpression" ? prop(to, "engine")?.value : to;
      const engine = engineOf(target, names);
      if (engine === undefined) return;
      const remote = to?.type === "ObjectExpression" && prop(to, "node") !== undefined;
      out.push({ engine, type: type.value, kind, from: senderOf(file), remote, file });
    });
  }
  return out;
}

/** The functions that dispatch an engine's messages: its handlers and what they hand off to. */
const DISPATCHERS =
  /^(handle(Call|Cast|Info)|on(Info|Cast|Call)|operatorCall|peerCall|parse\w*(Cast|Call))$/;

function dispatchers(program) {
  const out = [];
  walk(program, (n) => {
    const name = n.key?.name ?? n.id?.name;
    const isFunction =
      n.type === "ObjectMethod" ||
      n.type === "FunctionDeclaration" ||
      (n.type === "ObjectProperty" && /Function/.test(n.value?.type ?? ""));
    if (isFunction && DISPATCHERS.test(name ?? "")) out.push(n);
  });
  return out;
}

/** The string literals an engine's dispatchers compare `type` with or switch on. */
function accepts(root, homes) {
  const types = new Set();
  for (const home of homes) {
    const list = home.endsWith(".ts") ? [home] : files(root, home);
    for (const file of list) {
      walk(dispatchers(ast(root, file).program), (n) => {
        if (n.type === "SwitchCase" && n.test?.type === "StringLiteral") types.add(n.test.value);
        if (
          n.type === "BinaryExpression" &&
          (n.operator === "===" || n.operator === "!==") &&
          n.right.type === "StringLiteral" &&
          n.left.type === "MemberExpression" &&
          n.left.property.name === "type"
        )
          types.add(n.right.value);
      });
    }
  }
  return types;
}

export function messageMap(root) {
  const names = engineNames(root);
  const sent = sends(root, names);
  const lines = [
    "# Message map",
    "",
    "Generated from the sources by `node build/message-map.mjs` (test/unit/build/messageMap.test.ts",
    "fails when it is out of date). For each engine: the message types its handlers take, and the",
    "code that sends each one: a call (a reply is awaited), a cast (none is), an info (a message",
    "to itself, often the end of work it started) or a timer (one it set). *remote* marks a",
    "message another node sends over p2p. A dash: sent in a way the map cannot follow (a",
    "message built elsewhere, an address in a variable) or by a test; the handler's file says.",
    "Engines are addressed by name; `name@chain` reaches the engine of another chain the node",
    "follows.",
    "",
  ];
  for (const [engine, homes] of Object.entries(ENGINE_HOMES)) {
    const types = accepts(root, homes);
    for (const s of sent) if (s.engine === engine) types.add(s.type);
    lines.push(`## ${engine}`, "", `Handlers: ${homes.map((h) => `\`${h}\``).join(", ")}`, "");
    lines.push("| Message | Sent by |", "| --- | --- |");
    for (const type of [...types].sort()) {
      const by = new Map();
      for (const s of sent) {
        if (s.engine !== engine || s.type !== type) continue;
        const key = `${s.from} (${s.kind}${s.remote ? ", remote" : ""})`;
        by.set(key, [...(by.get(key) ?? []), relative(root, join(root, s.file))]);
      }
      const senders =
        by.size === 0
          ? "—"
          : [...by.keys()]
              .sort()
              .map((k) => k)
              .join(", ");
      lines.push(`| \`${type}\` | ${senders} |`);
    }
    lines.push("");
  }
  return `${lines.join("\n").trimEnd()}\n`;
}
