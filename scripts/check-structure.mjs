#!/usr/bin/env node
// Checks the structure rules of the code base, in packages/*/src and apps/*/src:
// - small rooms: no function over 80 lines (blank and comment-only lines not counted; a function's count includes
//   the functions nested in it) and no source file over 300 lines;
// - explicit public APIs: no `export *` in a package's index.ts;
// - the repository carries its own docs: no tracked file names a document that lives outside it.
// Prints every offender and exits 1 if there is one; `--report` also prints the largest functions and files.
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const MAX_FUNCTION_LINES = 80;
const MAX_FILE_LINES = 300;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

function sourceFiles(dir) {
  const out = [];
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|mts|cts)$/.test(entry) && !entry.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

function srcDirs() {
  const dirs = [];
  for (const group of ["packages", "apps"]) {
    for (const name of readdirSync(path.join(root, group))) {
      const src = path.join(root, group, name, "src");
      try {
        if (statSync(src).isDirectory()) dirs.push(src);
      } catch {
        // no src folder
      }
    }
  }
  return dirs;
}

/** Lines `first` to `last` of `lines` that hold code: not blank, not only a comment. */
function codeLines(lines, first, last, commentLines) {
  let n = 0;
  for (let i = first; i <= last; i++) if (lines[i].trim() !== "" && !commentLines.has(i)) n++;
  return n;
}

/** Line numbers (0-based) of `sf` that hold nothing but comment text. */
function commentOnlyLines(sf, lines) {
  const only = new Set();
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, false, ts.LanguageVariant.Standard, sf.text);
  const hasCode = new Set();
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.NewLineTrivia || kind === ts.SyntaxKind.WhitespaceTrivia) continue;
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) continue;
    const a = sf.getLineAndCharacterOfPosition(scanner.getTokenPos()).line;
    const b = sf.getLineAndCharacterOfPosition(scanner.getTextPos()).line;
    for (let i = a; i <= b; i++) hasCode.add(i);
    // Template literals and regexes are rescanned loosely; a multi-line token marks all its lines as code.
  }
  for (let i = 0; i < lines.length; i++) if (lines[i].trim() !== "" && !hasCode.has(i)) only.add(i);
  return only;
}

const dirs = srcDirs();
const functions = [];
const files = [];
for (const dir of dirs) {
  for (const file of sourceFiles(dir)) {
    const text = readFileSync(file, "utf8");
    const lines = text.split("\n");
    const rel = path.relative(root, file);
    files.push({ file: rel, lines: text.endsWith("\n") ? lines.length - 1 : lines.length });
    const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const comments = commentOnlyLines(sf, lines);
    const visit = (node) => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const first = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line;
        const last = sf.getLineAndCharacterOfPosition(node.getEnd()).line;
        const name = node.name?.getText(sf) ?? (ts.isVariableDeclaration(node.parent) ? node.parent.name.getText(sf) : "(anonymous)");
        functions.push({ file: rel, line: first + 1, name, lines: codeLines(lines, first, last, comments) });
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
}

const longFunctions = functions.filter((f) => f.lines > MAX_FUNCTION_LINES).sort((a, b) => b.lines - a.lines);
const longFiles = files.filter((f) => f.lines > MAX_FILE_LINES).sort((a, b) => b.lines - a.lines);
if (process.argv.includes("--report")) {
  console.log(`${files.length} files, ${functions.length} functions in packages/*/src and apps/*/src`);
  console.log("largest functions (code lines):");
  for (const f of [...functions].sort((a, b) => b.lines - a.lines).slice(0, 10)) console.log(`  ${f.lines}\t${f.file}:${f.line} ${f.name}`);
  console.log("largest files (lines):");
  for (const f of [...files].sort((a, b) => b.lines - a.lines).slice(0, 10)) console.log(`  ${f.lines}\t${f.file}`);
}
for (const f of longFunctions)
  console.error(
    `${f.file}:${f.line}: function ${f.name} has ${f.lines} code lines (limit ${MAX_FUNCTION_LINES}): split it by what it does`,
  );
for (const f of longFiles) console.error(`${f.file}: ${f.lines} lines (limit ${MAX_FILE_LINES}): split it into modules`);

const starExports = [];
for (const dir of dirs) {
  const index = path.join(dir, "index.ts");
  let text;
  try {
    text = readFileSync(index, "utf8");
  } catch {
    continue;
  }
  text.split("\n").forEach((line, i) => {
    if (/^\s*export\s+\*/.test(line)) starExports.push(`${path.relative(root, index)}:${i + 1}`);
  });
}
for (const where of starExports) console.error(`${where}: \`export *\` in a package index: list the exports by name`);

// Documents that live beside the project, not in it (the names are split so this file does not match itself).
const outside = ["MODERNE" + "_CLI.md", "DES" + "IGN.md"];
function filesNaming(patterns) {
  try {
    return execFileSync("git", ["grep", "-l", "-I", ...patterns.flatMap((p) => ["-e", p]), "--", "."], { cwd: root, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
  } catch (error) {
    if (error.status === 1) return []; // git grep: no match
    throw error;
  }
}
const tracked = filesNaming(outside);
for (const file of tracked)
  console.error(`${file}: names a document outside the repository (${outside.join(" / ")}): point to docs/ instead`);

if (longFunctions.length + longFiles.length + starExports.length + tracked.length > 0) process.exit(1);
console.log(
  `structure ok: no function over ${MAX_FUNCTION_LINES} code lines, no file over ${MAX_FILE_LINES} lines, no export * in an index, no outside docs named`,
);
