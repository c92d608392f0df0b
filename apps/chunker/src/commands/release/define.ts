// The flags of `release` only: its implementation (./command.js and the libraries it needs) is loaded when it runs,
// so `--help` loads no AWS SDK (docs/benchmarks.md).
import { type Command } from "commander";
import { CHUNKER_ENV } from "@mass-ingest/contract/env";
import type { CliContext } from "@mass-ingest/core";
import type { Io } from "../../io.js";
import type { ReleaseFlags } from "./command.js";

export function defineRelease(program: Command, context: CliContext, io: Io): void {
  program
    .command("release")
    .description("Release a quarantined repository (failing night after night) so the next run builds it; --list shows them.")
    .argument("[repo]", "its clone URL (every branch of it) or its state key")
    .option("--state <location>", `the state store (env ${CHUNKER_ENV.stateUrl.name}, default <DATA_DIR>/state)`)
    .option("--list", "list the quarantined repositories with their cause and since when")
    .option("--json", "print JSON")
    .action(
      context.action(async (which: string | undefined, flags: ReleaseFlags) =>
        (await import("./command.js")).releaseCommand(which, flags, io),
      ),
    );
}
