import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { MassIngestError, runCli, type CliContext } from "../src/index.js";

function program(context: CliContext, run: (signal: AbortSignal) => Promise<number | void>) {
  const p = new Command("tool").configureOutput({ writeOut: () => {}, writeErr: () => {} });
  p.command("go")
    .option("--n <n>")
    .action(context.action(() => run(context.signal)));
  return p;
}

describe("runCli", () => {
  afterEach(() => vi.restoreAllMocks());

  it("returns the action's number, 0 for --help and 2 for a usage error", async () => {
    const cli = (argv: string[], run: () => Promise<number | void> = async () => 7) =>
      runCli({ argv, handleSignals: false, program: (c) => program(c, run) });
    expect(await cli(["go"])).toBe(7);
    expect(await cli(["go"], async () => undefined)).toBe(0);
    expect(await cli(["--help"])).toBe(0);
    expect(await cli(["go", "--help"])).toBe(0);
    expect(await cli(["nope"])).toBe(2);
    expect(await cli(["go", "--n"])).toBe(2);
  });

  it("maps thrown errors by type and prints them through onError", async () => {
    const printed: string[] = [];
    const cli = (error: unknown) =>
      runCli({
        argv: ["go"],
        handleSignals: false,
        onError: (e, code) => printed.push(`${code} ${(e as Error).message}`),
        program: (c) =>
          program(c, async () => {
            throw error;
          }),
      });
    expect(await cli(new MassIngestError("BAD_INPUT", "bad row 3"))).toBe(2);
    expect(await cli(new MassIngestError("FAILED", "upload failed", { exitCode: 1 }))).toBe(1);
    expect(await cli(new Error("boom"))).toBe(1);
    expect(printed).toEqual(["2 bad row 3", "1 upload failed", "1 boom"]);
  });

  it("the default error print names the code and the hint", async () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => (writes.push(String(chunk)), true));
    const code = await runCli({
      argv: ["go"],
      handleSignals: false,
      program: (c) =>
        program(c, async () => {
          throw new MassIngestError("CSV_NOT_FOUND", "no csv at x.csv", { hint: "pass a path" });
        }),
    });
    expect(code).toBe(2);
    expect(writes.join("")).toBe("error [CSV_NOT_FOUND]: no csv at x.csv\nhint: pass a path\n");
  });

  it("SIGTERM aborts the command's signal and ends with 143; a second signal reaches onRepeatedSignal", async () => {
    const repeated: string[] = [];
    let seen: unknown;
    const code = await runCli({
      argv: ["go"],
      onRepeatedSignal: (s) => repeated.push(s),
      program: (c) =>
        program(c, async (signal) => {
          process.emit("SIGTERM", "SIGTERM");
          process.emit("SIGTERM", "SIGTERM");
          seen = signal.reason;
        }),
    });
    expect(seen).toBe("SIGTERM");
    expect(repeated).toEqual(["SIGTERM"]);
    expect(code).toBe(143);
    expect(process.listenerCount("SIGTERM")).toBe(0);
  });

  it("calls onStopGraceExpired when the command still runs stopGraceMs after the first signal, not when it returned", async () => {
    const expired: string[] = [];
    const code = await runCli({
      argv: ["go"],
      stopGraceMs: 0,
      onStopGraceExpired: (s) => expired.push(s),
      program: (c) =>
        program(c, async () => {
          process.emit("SIGTERM", "SIGTERM");
          // a wind-down that does not finish on its own: it ends only once the grace expired
          await new Promise<void>((resolve) => {
            const poll = setInterval(() => expired.length > 0 && (clearInterval(poll), resolve()), 5);
          });
        }),
    });
    expect(code).toBe(143);
    expect(expired).toEqual(["SIGTERM"]);
    const quick: string[] = [];
    await runCli({
      argv: ["go"],
      stopGraceMs: 0,
      onStopGraceExpired: (s) => quick.push(s),
      program: (c) => program(c, async () => void process.emit("SIGTERM", "SIGTERM")),
    });
    await new Promise((r) => setTimeout(r, 20));
    expect(quick).toEqual([]);
  });

  it("SIGINT during a failing command ends with 130, not the error's code", async () => {
    const code = await runCli({
      argv: ["go"],
      onError: () => {},
      program: (c) =>
        program(c, async () => {
          process.emit("SIGINT", "SIGINT");
          throw new Error("stopped");
        }),
    });
    expect(code).toBe(130);
  });
});
