import { randomUUID } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CheckResult } from "../types.js";

export type ProbeOutcome = Omit<CheckResult, "id" | "title">;

/** A unique probe name: `mass-ingest-doctor-probe-<uuid>.txt`. */
export function probeName(): string {
  return `mass-ingest-doctor-probe-${randomUUID()}.txt`;
}

/** The probe's content: what is read back must be exactly this. */
export function probeBody(name: string): string {
  return `mass-ingest doctor probe ${name}\n`;
}

/** Create `dir` if needed, write, read back and delete a probe file. */
export async function probeDirectory(dir: string, what: string): Promise<ProbeOutcome> {
  const name = probeName();
  const file = path.join(dir, name);
  let step = "create";
  try {
    await mkdir(dir, { recursive: true });
    step = "write";
    await writeFile(file, probeBody(name), { flag: "wx" });
    step = "read back";
    const back = await readFile(file, "utf8");
    if (back !== probeBody(name)) throw new Error("read back different content");
    step = "delete";
    await rm(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      status: "fail",
      detail: `cannot ${step} ${step === "create" ? dir : file} (${code ?? (error as Error).message})`,
      fix: `Make ${what} ${dir} a writable folder for the user running this (uid ${process.getuid?.() ?? "?"}); mount a volume there in a container.`,
    };
  }
  return { status: "pass", detail: `${dir} is writable (probe written, read back, deleted)` };
}
