import type { RepoRow } from "@mass-ingest/partition";
import { DEFAULT_JDK_ROOTS } from "../defaults.js";
import type { Check } from "../types.js";
import { findJdks, javaMajor } from "./jdk-search.js";

/** Java majors the csv's `java` column asks for, with how many rows ask for each. */
export function requestedMajors(repos: readonly RepoRow[]): Map<number, number> {
  const wanted = new Map<number, number>();
  for (const repo of repos) {
    if (!repo.java) continue;
    const major = javaMajor(repo.java);
    if (major !== undefined) wanted.set(major, (wanted.get(major) ?? 0) + 1);
  }
  return wanted;
}

/** Every JDK that the csv's `java` column asks for is installed. */
export const jdksCheck: Check = {
  id: "jdks",
  title: "JDKs",
  async run({ settings, options, csv, signal }) {
    const javaHome = (options.processEnv ?? process.env).JAVA_HOME;
    const homes = [...(javaHome ? [javaHome] : []), ...(settings.jdkHomes ?? [])];
    const roots = settings.jdkRoots ?? DEFAULT_JDK_ROOTS;
    const found = await findJdks(roots, homes, signal);
    const majors = [...new Set(found.map((j) => j.major))].sort((a, b) => a - b);
    const foundText = majors.length > 0 ? `found ${majors.join(", ")}` : "no JDK found";
    const where = `JAVA_HOME, ${roots.join(", ")}${settings.jdkHomes?.length ? `, ${settings.jdkHomes.join(", ")}` : ""}`;
    const wanted = requestedMajors(csv?.repos ?? []);
    const missing = [...wanted.keys()].filter((m) => !majors.includes(m)).sort((a, b) => a - b);
    if (missing.length > 0) {
      const list = missing.map((m) => `${m} (${wanted.get(m)} row${wanted.get(m) === 1 ? "" : "s"})`).join(", ");
      return {
        status: "fail",
        detail: `missing JDK ${list}; ${foundText} in ${where}`,
        fix: `Install JDK ${missing.join(", ")} (e.g. into /usr/lib/jvm) or fix the rows' java column; the builds of those rows would fail.`,
      };
    }
    if (majors.length === 0) {
      return {
        status: "warn",
        detail: `no JDK found in ${where}`,
        fix: "Install the JDKs your repositories build with (the Moderne CLI builds with them).",
      };
    }
    const asked = wanted.size > 0 ? `; the csv asks for ${[...wanted.keys()].sort((a, b) => a - b).join(", ")}` : "";
    return { status: "pass", detail: `${foundText}${asked}` };
  },
};
