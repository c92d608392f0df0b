import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { javaMajor } from "../../src/checks/jdk-search.js";
import { cleanupDirs, runCheck, tempDir, writeCsv } from "../helpers.js";

let roots: string;
let dir: string;
const noJavaHome = { ...process.env, JAVA_HOME: undefined };

beforeAll(async () => {
  dir = await tempDir();
  roots = await tempDir("doctor-jdks-");
  // One fake JDK 17 that answers `java -version` like a real one (no release file).
  const bin = path.join(roots, "jdk-17", "bin");
  await mkdir(bin, { recursive: true });
  await writeFile(path.join(bin, "java"), "#!/bin/sh\necho 'openjdk version \"17.0.9\" 2023-10-17' >&2\n");
  await chmod(path.join(bin, "java"), 0o755);
  // A JDK 11 with a release file, and a folder that is no JDK.
  await mkdir(path.join(roots, "jdk-11", "bin"), { recursive: true });
  await writeFile(path.join(roots, "jdk-11", "release"), 'IMPLEMENTOR="x"\nJAVA_VERSION="11.0.21"\n');
  await writeFile(path.join(roots, "jdk-11", "bin", "java"), "#!/bin/sh\nexit 1\n", { mode: 0o755 });
  await mkdir(path.join(roots, "not-a-jdk"));
});
afterAll(cleanupDirs);

describe("jdks check", () => {
  it("passes when every major the csv asks for is installed", async () => {
    const csv = await writeCsv(dir, [
      "https://example.invalid/a/b.git,main,17",
      "https://example.invalid/a/c.git,main,11",
      "https://example.invalid/a/d.git,main,",
    ]);
    const r = await runCheck("jdks", { csv, jdkRoots: [roots] }, { processEnv: noJavaHome });
    expect(r.status).toBe("pass");
    expect(r.detail).toContain("found 11, 17");
  });

  it("fails naming the missing majors and how many rows ask for them", async () => {
    const csv = await writeCsv(dir, [
      "https://example.invalid/a/b.git,main,17",
      "https://example.invalid/a/c.git,main,21",
      "https://example.invalid/a/e.git,main,21",
      "https://example.invalid/a/f.git,main,1.8",
    ]);
    const r = await runCheck("jdks", { csv, jdkRoots: [roots] }, { processEnv: noJavaHome });
    expect(r.status).toBe("fail");
    expect(r.detail).toContain("missing JDK 8 (1 row), 21 (2 rows)");
    expect(r.fix).toContain("Install JDK 8, 21");
  });

  it("looks at JAVA_HOME and extra homes", async () => {
    const csv = await writeCsv(dir, ["https://example.invalid/a/b.git,main,17"]);
    const empty = await tempDir();
    expect(
      (await runCheck("jdks", { csv, jdkRoots: [empty] }, { processEnv: { ...noJavaHome, JAVA_HOME: path.join(roots, "jdk-17") } })).status,
    ).toBe("pass");
    expect(
      (await runCheck("jdks", { csv, jdkRoots: [empty], jdkHomes: [path.join(roots, "jdk-17")] }, { processEnv: noJavaHome })).status,
    ).toBe("pass");
    expect((await runCheck("jdks", { csv, jdkRoots: [empty] }, { processEnv: noJavaHome })).status).toBe("fail");
  });

  it("warns when no JDK is found and the csv asks for none", async () => {
    const r = await runCheck("jdks", { jdkRoots: [await tempDir()] }, { processEnv: noJavaHome });
    expect(r.status).toBe("warn");
  });

  it("reads majors of every version style", () => {
    expect([javaMajor("17.0.2"), javaMajor("1.8.0_392"), javaMajor("21"), javaMajor("x")]).toEqual([17, 8, 21, undefined]);
  });
});
