// Writes the .deb's machine-readable copyright file (Debian's copyright-format 1.0):
// anode itself, and what its single executable contains besides: the official Node.js
// runtime (whose own LICENSE lists the libraries its build links in: V8, libuv, OpenSSL,
// zlib, ICU, ...) and the npm packages the app bundle is built from, read from
// package-lock.json and node_modules so the list follows the dependencies.
//
//   node installers/linux/render-copyright.mjs [--out copyright]

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

const root = new URL("../../", import.meta.url).pathname;
const LICENSES = new URL("debian/licenses/", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));

/** A DEP-5 multi-line value: each line indented, blank lines as " .". */
function block(lines) {
  return lines.map((l) => (l.trim() === "" ? " ." : ` ${l.replace(/\s+$/, "")}`)).join("\n");
}

/** SPDX ids as Debian's copyright format spells them. */
const DEBIAN_NAME = {
  MIT: "Expat",
  "Apache-2.0": "Apache-2.0",
  "BSD-3-Clause": "BSD-3-clause",
  "BSD-2-Clause": "BSD-2-clause",
  ISC: "ISC",
  Unlicense: "Unlicense",
  "CC0-1.0": "CC0-1.0",
};

function debianLicense(spdx) {
  return spdx
    .replace(/[()]/g, "")
    .split(/\s+(OR|AND)\s+/)
    .map((part) => (part === "OR" ? "or" : part === "AND" ? "and" : (DEBIAN_NAME[part] ?? part)))
    .join(" ");
}

/** The production packages installed here: what esbuild can put into the app bundle. */
function bundledPackages() {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));
  const found = [];
  for (const [path, entry] of Object.entries(lock.packages ?? {})) {
    if (path === "" || entry.dev || !existsSync(join(root, path, "package.json"))) continue;
    const meta = JSON.parse(readFileSync(join(root, path, "package.json"), "utf8"));
    const author = typeof meta.author === "string" ? meta.author : meta.author?.name;
    found.push({
      path,
      name: meta.name,
      version: meta.version,
      license: meta.license ?? "",
      author,
    });
  }
  return found.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** A package's copyright lines from its licence file, else its author. */
function copyrightOf(p) {
  const dir = join(root, p.path);
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  // An Apache-2.0 LICENSE file is the licence's text, whose "copyright" lines are clauses.
  if (file !== undefined && p.license !== "Apache-2.0") {
    const lines = readFileSync(join(dir, file), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter(
        (l) => /^(\(c\)|©|copyright\b)/i.test(l) && !/copyright (notice|holder)|yyyy/i.test(l),
      );
    if (lines.length > 0) return lines.map((l) => l.replace(/^copyright\s*(\(c\))?\s*/i, ""));
  }
  return [p.author ?? `the authors of ${p.name}`];
}

/** Node's LICENSE, from the runtime package the build takes its binaries from. */
function nodeLicense() {
  const dir = join(root, "node_modules/node/node_modules");
  const runtime = existsSync(dir)
    ? readdirSync(dir).find((d) => /^node-(linux|darwin|win)-/.test(d))
    : undefined;
  const file = runtime === undefined ? undefined : join(dir, runtime, "LICENSE");
  if (file === undefined || !existsSync(file))
    throw new Error("Cannot write the copyright file: no Node.js LICENSE (run npm ci)");
  const version = JSON.parse(readFileSync(join(dir, runtime, "package.json"), "utf8")).version;
  return { version, text: withoutApacheTexts(readFileSync(file, "utf8")) };
}

/**
 * Node's LICENSE quotes the Apache License 2.0 in full for several components; Debian
 * keeps one copy of it in /usr/share/common-licenses, and a copyright file points there.
 */
function withoutApacheTexts(text) {
  const out = [];
  let skipping = false;
  for (const line of text.split("\n")) {
    if (!skipping && /^\s*Apache License\s*$/.test(line)) {
      skipping = true;
      out.push(
        "    Apache License, Version 2.0: on Debian systems its full text is in",
        "    /usr/share/common-licenses/Apache-2.0.",
      );
    } else if (skipping) {
      if (/^\s*END OF TERMS AND CONDITIONS\s*$/.test(line)) skipping = false;
    } else out.push(line);
  }
  return out.join("\n");
}

function render() {
  const packages = bundledPackages();
  const node = nodeLicense();
  const licenses = new Set(["Apache-2.0", "Expat"]);
  for (const p of packages)
    for (const id of debianLicense(p.license).split(/ (?:or|and) /)) licenses.add(id);
  const holders = [...new Set(packages.flatMap(copyrightOf))];
  const used = [...licenses].filter((l) => l !== "Apache-2.0" && l !== "Node.js");
  const missing = used.filter((l) => !existsSync(join(LICENSES, l)));
  if (missing.length > 0)
    throw new Error(
      `Cannot write the copyright file: no text for ${missing.join(", ")} in installers/linux/debian/licenses/`,
    );
  const texts = Object.fromEntries(
    used.map((l) => [l, readFileSync(join(LICENSES, l), "utf8").trimEnd()]),
  );
  const source = pkg.homepage ?? "";
  const paragraphs = [
    [
      "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
      "Upstream-Name: anode",
      `Upstream-Contact: ${pkg.author}`,
      `Source: ${source}`,
    ].join("\n"),
    ["Files: *", "Copyright: 2026 anode contributors", "License: Apache-2.0"].join("\n"),
    [
      "Files: usr/bin/anode",
      `Copyright: 2026 anode contributors\n${block([
        "Node.js contributors. All rights reserved.",
        "Joyent, Inc. and other Node contributors.",
        ...holders,
      ])}`,
      `License: Apache-2.0 and Node.js and ${used.join(" and ")}`,
      `Comment: A single executable: the official Node.js ${node.version} runtime with`,
      block([
        "anode's boot layer and app bundle injected (Node's single-executable",
        "applications). Node.js and the libraries its build links in are under the",
        '"Node.js" licence below. The app bundle is built from these npm packages:',
        "",
        ...packages.map((p) => `${p.name} ${p.version} (${p.license})`),
      ]),
    ].join("\n"),
    [
      "License: Apache-2.0",
      block([
        'Licensed under the Apache License, Version 2.0 (the "License"); you may not',
        "use this file except in compliance with the License.",
        "",
        "On Debian systems, the full text of the Apache License, Version 2.0 can be",
        "found in the file /usr/share/common-licenses/Apache-2.0.",
      ]),
    ].join("\n"),
    ...used.map((l) => `License: ${l}\n${block(texts[l].split("\n"))}`),
    `License: Node.js\n${block(node.text.replace(/\t/g, "        ").split("\n"))}`,
  ];
  return `${paragraphs.join("\n\n")}\n`;
}

const { values } = parseArgs({ options: { out: { type: "string" } } });
const text = render();
if (values.out === undefined) process.stdout.write(text);
else writeFileSync(values.out, text);
