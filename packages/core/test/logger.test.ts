import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, MassIngestError, Redactor } from "../src/index.js";

function sink() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...chunk.toString().split("\n").filter(Boolean));
      cb();
    },
  });
  return { lines, stream };
}

it("writes JSON lines and replaces every secret value, in messages, fields, nested objects and errors", () => {
  const { lines, stream } = sink();
  const logger = createLogger({ name: "t", pretty: false, destination: stream, secrets: ["hunter2-secret"] });
  logger.info({ token: "hunter2-secret", nested: { deep: ["x", "prefix-hunter2-secret-suffix"] } }, "using hunter2-secret now");
  logger.addSecret('quo"te\\secret');
  logger.error({ err: new MassIngestError("X", 'failed with quo"te\\secret inside') }, "boom");
  logger.child({ component: "c" }).warn('child says quo"te\\secret and hunter2-secret');
  expect(lines).toHaveLength(3);
  const joined = lines.join("\n");
  expect(joined).not.toContain("hunter2");
  expect(joined).not.toContain("te\\\\secret");
  const first = JSON.parse(lines[0]!);
  expect(first).toMatchObject({ name: "t", msg: "using *** now", token: "***", nested: { deep: ["x", "prefix-***-suffix"] } });
  expect(JSON.parse(lines[1]!).err.message).toBe("failed with *** inside");
  expect(JSON.parse(lines[2]!)).toMatchObject({ component: "c", msg: "child says *** and ***" });
});

it("logs an error's own message once, not followed by its cause's (the stack keeps the cause)", () => {
  const { lines, stream } = sink();
  const cause = new Error("ENOTDIR: not a directory, mkdir '/x/state'");
  createLogger({ name: "t", pretty: false, destination: stream }).error(
    { err: new MassIngestError("STATE_IO", `Could not create /x/state: ${cause.message}`, { cause }) },
    "boom",
  );
  const err = JSON.parse(lines[0]!).err;
  expect(err.message).toBe("Could not create /x/state: ENOTDIR: not a directory, mkdir '/x/state'");
  expect(err.stack).toContain("caused by: Error: ENOTDIR");
});

it("readable lines when pretty, still redacted", () => {
  const { lines, stream } = sink();
  const logger = createLogger({ name: "t", pretty: true, destination: stream, secrets: ["pretty-secret-1"] });
  logger.info({ password: "pretty-secret-1" }, "hello pretty-secret-1");
  const text = lines.join("\n");
  expect(text).toContain("hello ***");
  expect(text).not.toContain("pretty-secret-1");
  expect(() => JSON.parse(lines[0]!)).toThrow();
});

describe("Redactor", () => {
  it("redacts each secret as is, JSON-escaped and URL-encoded; ignores undefined and short values", () => {
    const redactor = new Redactor(["p@ss/word:1", undefined, "abc"]);
    expect(redactor.redact("raw p@ss/word:1, in a URL https://u:p%40ss%2Fword%3A1@host/x")).toBe("raw ***, in a URL https://u:***@host/x");
    redactor.add('quo"te\\secret');
    expect(redactor.redact(JSON.stringify({ v: 'x quo"te\\secret y' }))).toBe('{"v":"x *** y"}');
    expect(redactor.redact("abc stays")).toBe("abc stays");
    expect(redactor.values).not.toContain("abc");
  });

  it("redacts a multi-line secret whole and each of its lines of 8+ characters on its own", () => {
    const key = "-----BEGIN KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\r\nshort\n-----END KEY-----\n";
    const redactor = new Redactor().add(key);
    expect(redactor.redact(`key: ${key}`)).toBe("key: ***");
    expect(redactor.redact("only b3BlbnNzaC1rZXktdjEAAAAA leaked")).toBe("only *** leaked");
    expect(redactor.redact(JSON.stringify(key))).toBe('"***"');
    expect(redactor.redact("short")).toBe("short");
  });

  it("replaces a secret that contains another one whole", () => {
    const redactor = new Redactor(["token", "token-with-suffix"]);
    expect(redactor.redact("a token-with-suffix b token")).toBe("a *** b ***");
    expect(redactor.values[0]).toBe("token-with-suffix");
  });

  it("is shared with createLogger: a secret added to it later is redacted in the log, and addSecret adds to it", () => {
    const { lines, stream } = sink();
    const redactor = new Redactor(["first-secret"]);
    const logger = createLogger({ name: "t", pretty: false, destination: stream, redactor, secrets: ["from-options"] });
    redactor.add("late/secret");
    logger.addSecret("via-logger");
    logger.info({ url: "https://user:late%2Fsecret@host/r" }, "first-secret from-options late/secret via-logger");
    const line = JSON.parse(lines[0]!) as { msg: string; url: string };
    expect(line.msg).toBe("*** *** *** ***");
    expect(line.url).toBe("https://user:***@host/r");
    expect(redactor.redact("via-logger from-options")).toBe("*** ***");
  });
});
