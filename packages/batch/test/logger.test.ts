import { Writable } from "node:stream";
import { expect, it } from "vitest";
import { BatchError, createLogger } from "../src/index.js";

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
  logger.error({ err: new BatchError("X", 'failed with quo"te\\secret inside') }, "boom");
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

it("readable lines when pretty, still redacted", () => {
  const { lines, stream } = sink();
  const logger = createLogger({ name: "t", pretty: true, destination: stream, secrets: ["pretty-secret-1"] });
  logger.info({ password: "pretty-secret-1" }, "hello pretty-secret-1");
  const text = lines.join("\n");
  expect(text).toContain("hello ***");
  expect(text).not.toContain("pretty-secret-1");
  expect(() => JSON.parse(lines[0]!)).toThrow();
});
