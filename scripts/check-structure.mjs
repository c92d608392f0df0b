#!/usr/bin/env node
// Checks the structure rules of the code base, in packages/*/src and apps/*/src:
// - small rooms: no function over 80 lines (blank and comment-only lines not counted; a function's count includes
//   the functions nested in it) and no source file over 300 lines;
// - explicit public APIs: no `export *` in a package's index.ts;
// - the repository carries its own docs: no tracked file names a document that lives outside it;
// - one vocabulary: an outcome is spelled as the contract's REPO_OUTCOMES (`timed-out`, `not-started`); the other
//   spellings (`timeout`, `timed_out`, `timedOut`, `not-reached`, `not_started`) may appear as an outcome only in the
//   files that map a published spelling (OUTCOME_MAPPINGS). An outcome use is a property `outcome`/`status`, a
//   comparison or `case` on something named `...outcome`/`...status`, a literal union of a type or property named
//   like that, a list that also holds "ok" or "failed", or a mapping keyed by a canonical outcome. Settings such
//   as `timeoutMs` and other kinds of "timeout" (an ls-remote error kind) are not outcomes and are not flagged;
// - no two packages declare an exported type (interface or type alias) of the same name;
// - each setting declared once: an environment variable of the contract's table (packages/contract/src/env-table.ts)
//   is not spelled as a string literal elsewhere (read it as PROCESSOR_ENV.x.name / CHUNKER_ENV.x.name), except in
//   ENV_NAME_USES, where the same text means something else (an AWS Batch filter field, a pass-through list).
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

// The files where a published spelling of an outcome meets the contract's: metric labels, on-disk records, report.json.
const OUTCOME_MAPPINGS = new Set([
  "packages/pipeline/src/metrics/observe.ts",
  "packages/state/src/outcome-on-disk.ts",
  "packages/report/src/published.ts",
]);
const OTHER_SPELLINGS = new Set(["timeout", "timed_out", "timedOut", "not-reached", "not_reached", "not_started"]);
const CANONICAL = new Set(["ok", "failed", "timed-out", "skipped", "not-started"]);
const OUTCOME_NAME = /(outcome|status)$/i;

const nameOf = (node) => (node && (ts.isIdentifier(node) || ts.isStringLiteral(node)) ? node.text : undefined);
const exprName = (e) => (ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : undefined);
const isText = (n) => ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n);

/** True when the string literal `lit` stands for an outcome where it is. */
function usedAsOutcome(lit) {
  let node = lit;
  let parent = node.parent;
  if (ts.isLiteralTypeNode(parent)) {
    node = parent;
    parent = node.parent;
    while (ts.isUnionTypeNode(parent) || ts.isParenthesizedTypeNode(parent)) [node, parent] = [parent, parent.parent];
    return (ts.isTypeAliasDeclaration(parent) || ts.isPropertySignature(parent)) && OUTCOME_NAME.test(nameOf(parent.name) ?? "");
  }
  if (ts.isPropertyAssignment(parent) && parent.initializer === node) {
    const key = nameOf(parent.name) ?? "";
    return OUTCOME_NAME.test(key) || CANONICAL.has(key);
  }
  if (
    ts.isBinaryExpression(parent) &&
    [ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsEqualsToken].includes(parent.operatorToken.kind)
  ) {
    const other = parent.left === node ? parent.right : parent.left;
    return OUTCOME_NAME.test(exprName(other) ?? "");
  }
  if (ts.isCaseClause(parent)) return OUTCOME_NAME.test(exprName(parent.parent.parent.expression) ?? "");
  if (ts.isArrayLiteralExpression(parent)) return parent.elements.some((e) => isText(e) && (e.text === "ok" || e.text === "failed"));
  return false;
}

/** The contract's environment names, from its table. */
const ENV_NAMES = new Set(
  [...readFileSync(path.join(root, "packages/contract/src/env-table.ts"), "utf8").matchAll(/\bv\(\s*"([A-Z][A-Z0-9_]*)"/g)].map(
    (m) => m[1],
  ),
);
/** Files where a contract environment name's text is something else, and why. */
const ENV_NAME_USES = new Map([
  ["packages/batch/src/plan-submission.ts", "AWS Batch's JOB_NAME list filter"],
  ["packages/batch/src/aws-calls.ts", "AWS Batch's JOB_NAME list filter"],
  ["packages/pipeline/src/isolation/build-env.ts", "the variables a build user's environment passes through"],
  ["packages/pipeline/src/modw.ts", "where the CLI was found (a source label)"],
]);

const dirs = srcDirs();
const envLiterals = [];
const outcomeSpellings = [];
const typeDeclarations = new Map();
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
    const pkg = rel.split(path.sep).slice(0, 2).join("/");
    for (const st of sf.statements) {
      const exported = st.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (exported && (ts.isInterfaceDeclaration(st) || ts.isTypeAliasDeclaration(st))) {
        const where = typeDeclarations.get(st.name.text) ?? new Map();
        if (!where.has(pkg)) where.set(pkg, `${rel}:${sf.getLineAndCharacterOfPosition(st.getStart(sf)).line + 1}`);
        typeDeclarations.set(st.name.text, where);
      }
    }
    const visit = (node) => {
      if (isText(node) && OTHER_SPELLINGS.has(node.text) && !OUTCOME_MAPPINGS.has(rel.split(path.sep).join("/")) && usedAsOutcome(node)) {
        outcomeSpellings.push(`${rel}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}: outcome spelled "${node.text}"`);
      }
      const posix = rel.split(path.sep).join("/");
      if (isText(node) && ENV_NAMES.has(node.text) && !posix.startsWith("packages/contract/") && !ENV_NAME_USES.has(posix)) {
        envLiterals.push(
          `${rel}:${sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1}: environment name "${node.text}" spelled out`,
        );
      }
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

for (const where of outcomeSpellings)
  console.error(
    `${where}: use the contract's REPO_OUTCOMES spelling (timed-out, not-started), or map it in one of ${[...OUTCOME_MAPPINGS].join(", ")}`,
  );
const duplicateTypes = [...typeDeclarations].filter(([, where]) => where.size > 1);
for (const [name, where] of duplicateTypes)
  console.error(
    `exported type ${name} is declared in several packages (${[...where.values()].join(", ")}): give each a name that says what it is`,
  );

for (const where of envLiterals) console.error(`${where}: read it from the contract's table (PROCESSOR_ENV / CHUNKER_ENV)`);

const problems = [longFunctions, longFiles, starExports, tracked, outcomeSpellings, duplicateTypes, envLiterals];
if (problems.some((list) => list.length > 0)) process.exit(1);
console.log(
  `structure ok: no function over ${MAX_FUNCTION_LINES} code lines, no file over ${MAX_FILE_LINES} lines, no export * in an index, no outside docs named, one spelling per outcome, no exported type declared twice, each environment name from the contract`,
);
