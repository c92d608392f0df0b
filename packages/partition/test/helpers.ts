import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";

/** A csv text as a stream source. */
export function text(csv: string): Readable {
  return Readable.from([csv]);
}

/** A temporary directory, removed by the returned cleanup. */
export function tempDir(): { dir: string; file: (name: string, content: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "partition-test-"));
  return {
    dir,
    file: (name, content) => {
      const p = join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
