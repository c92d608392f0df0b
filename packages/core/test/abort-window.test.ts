import { describe, expect, it } from "vitest";
import { abortWindow } from "../src/index.js";

const aborted = (signal: AbortSignal) =>
  new Promise<string>((resolve) => signal.addEventListener("abort", () => resolve((signal.reason as Error).message), { once: true }));

describe("abortWindow", () => {
  it("aborts at its time limit with endsWhy", async () => {
    const { signal } = abortWindow({ endsInMs: 10, endsWhy: "too late", graceMs: 10, stopWhy: "stopped" });
    expect(await aborted(signal)).toBe("too late");
  });

  it("aborts graceMs after the stop with stopWhy, also when the stop came first", async () => {
    const stop = new AbortController();
    const window = abortWindow({ endsInMs: 60_000, endsWhy: "too late", stop: stop.signal, graceMs: 10, stopWhy: "stopped" });
    expect(window.signal.aborted).toBe(false);
    stop.abort("SIGTERM");
    expect(await aborted(window.signal)).toBe("stopped");
    window.done();
    const late = abortWindow({ stop: stop.signal, graceMs: 0, stopWhy: "stopped before" });
    expect(await aborted(late.signal)).toBe("stopped before");
  });

  it("done clears the time limit and forgets the stop", async () => {
    const stop = new AbortController();
    const window = abortWindow({ endsInMs: 0, endsWhy: "too late", stop: stop.signal, graceMs: 0, stopWhy: "stopped" });
    window.done();
    stop.abort("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(window.signal.aborted).toBe(false);
  });
});
