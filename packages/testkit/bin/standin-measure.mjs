// What a build learns about a checkout: HEAD, build tools, source and line counts; and the untrusted-build hook.
import { spawn } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { run } from "./standin-sync.mjs";

const firstMatch = (file, regex) => (existsSync(file) ? regex.exec(readFileSync(file, "utf8"))?.[1] : undefined);

/** Build-tool versions when the checkout has their build files (wrapper properties win over the defaults). */
export function buildTools(repoDir) {
  const has = (...names) => names.some((n) => existsSync(path.join(repoDir, n)));
  const tools = {};
  if (has("pom.xml")) {
    tools.buildMavenVersion =
      firstMatch(path.join(repoDir, ".mvn/wrapper/maven-wrapper.properties"), /apache-maven\/([^/\s]+)\//) ?? "3.9.11";
  }
  if (has("build.gradle", "build.gradle.kts", "settings.gradle", "settings.gradle.kts")) {
    tools.buildGradleVersion =
      firstMatch(path.join(repoDir, "gradle/wrapper/gradle-wrapper.properties"), /gradle-([\d.]+(?:-[\w]+)?)-(?:bin|all)\.zip/) ?? "8.14.3";
  }
  if (has("package.json")) tools.buildNodeVersion = process.versions.node;
  if (has("pyproject.toml", "setup.py", "requirements.txt")) tools.buildPythonVersion = "3.12.3";
  return tools;
}

/** Files (outside .git and .moderne), their line count, and the biggest one. */
export function sourceStats(repoDir) {
  let files = 0;
  let lines = 0;
  let max = { size: 0, file: "" };
  const walk = (rel) => {
    for (const entry of readdirSync(path.join(repoDir, rel), { withFileTypes: true })) {
      const child = path.posix.join(rel, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== ".git" && entry.name !== ".moderne") walk(child);
      } else if (entry.isFile()) {
        const text = readFileSync(path.join(repoDir, child));
        files++;
        lines += text.length ? text.toString("utf8").split("\n").length - (text.at(-1) === 10 ? 1 : 0) : 0;
        if (text.length > max.size) max = { size: text.length, file: child };
      }
    }
  };
  walk("");
  return { files, lines, max };
}

export async function headOf(repoDir) {
  return (await run("git", ["rev-parse", "HEAD"], repoDir)).stdout.trim();
}

export const osColumns = () => ({ buildOsName: os.type(), buildOsVersion: os.release() });

/**
 * The untrusted-build hook: a `.standin-build.sh` in the checkout runs with `bash` in the checkout, with the
 * stand-in's own environment and uid, its stdout and stderr appended to the repository's build.log.
 * Resolves its exit code (128 + signal number when killed); undefined when there is no hook.
 */
export function runBuildHook(repoDir, logFile) {
  const hook = path.join(repoDir, ".standin-build.sh");
  if (!existsSync(hook)) return Promise.resolve(undefined);
  const fd = openSync(logFile, "a");
  return new Promise((resolve) => {
    const child = spawn("bash", [hook], { cwd: repoDir, env: process.env, stdio: ["ignore", fd, fd] });
    child.on("error", () => resolve(127));
    child.on("close", (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] ?? 0)));
  }).finally(() => closeSync(fd));
}
