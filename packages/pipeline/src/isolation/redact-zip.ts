import { existsSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { unzipSync, zipSync, type Zippable } from "fflate";

const decoder = new TextDecoder("utf-8", { fatal: true });
const encoder = new TextEncoder();

/**
 * One entry redacted: UTF-8 text as text; anything else byte for byte as latin1, so an ASCII secret inside a
 * binary entry is still replaced. Returns the entry unchanged (same bytes) when nothing was redacted.
 */
function redactEntry(data: Uint8Array, redact: (text: string) => string): Uint8Array {
  let text: string;
  try {
    text = decoder.decode(data);
  } catch {
    const latin1 = Buffer.from(data).toString("latin1");
    const redacted = redact(latin1);
    return redacted === latin1 ? data : Buffer.from(redacted, "latin1");
  }
  const redacted = redact(text);
  return redacted === text ? data : encoder.encode(redacted);
}

/**
 * Rewrite a log zip through the redactor, entry by entry, before it is uploaded: a build writes its own
 * `build.log`, so anything it read (or invented to look like a secret we hold) must not leave in it. The zip is
 * replaced atomically (temporary file, then rename); names are redacted too. Returns the entries that changed.
 */
export async function redactZip(file: string, redact: (text: string) => string): Promise<number> {
  if (!existsSync(file)) return 0;
  const entries = unzipSync(new Uint8Array(await readFile(file)));
  const out: Zippable = {};
  let changed = 0;
  for (const [name, data] of Object.entries(entries)) {
    const cleanName = redact(name);
    const clean = redactEntry(data, redact);
    if (clean !== data || cleanName !== name) changed++;
    out[cleanName] = clean;
  }
  if (changed === 0) return 0;
  const temporary = `${file}.redacting`;
  try {
    await writeFile(temporary, zipSync(out, { level: 6 }), { mode: 0o600 });
    await rename(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
  return changed;
}
