import { CHUNKER_ENV } from "@mass-ingest/contract";
import { MassIngestError } from "@mass-ingest/core";
import { foldPendingRuns, quarantinedRepositories, releaseRepository } from "@mass-ingest/state";
import type { Io } from "../../io.js";
import { stateLocation } from "../../state/location.js";
import { openStore } from "../../state/store.js";

export interface ReleaseFlags {
  state?: string;
  list?: boolean;
  json?: boolean;
}

function noState(): MassIngestError {
  return new MassIngestError("STATE_REQUIRED", "release needs a state store: there is none to release from.", {
    hint: `Pass --state <dir|s3://bucket/prefix> or set ${CHUNKER_ENV.stateUrl.name}.`,
    exitCode: 2,
  });
}

/** `release <repo>`: ends a quarantined repository's failure streak so the next night builds it; `--list` shows them all. */
export async function releaseCommand(which: string | undefined, flags: ReleaseFlags, io: Io): Promise<number> {
  const state = stateLocation(flags.state, io.env, true);
  if (!state) throw noState();
  const store = openStore(state, io.logger, io.env);
  try {
    if (flags.list || which === undefined) {
      // pending runs folded first (as status does), so the last night's failures count
      const held = quarantinedRepositories(await foldPendingRuns(store));
      const lines = held.map((q) => `${q.key}: ${q.cause} for ${q.nights} nights since ${q.since} (last try ${q.lastTry})`);
      io.stdout(flags.json ? JSON.stringify(held, null, 2) : lines.join("\n") || "no repository is quarantined");
      return 0;
    }
    const released = await releaseRepository(store, which);
    if (released.length === 0) {
      throw new MassIngestError("RELEASE_NO_MATCH", `No quarantined or failing repository in ${state} matches ${which}.`, {
        hint: "Give its clone URL or its state key; release --list shows the quarantined ones.",
        exitCode: 1,
      });
    }
    io.stdout(flags.json ? JSON.stringify({ released }, null, 2) : released.map((k) => `released ${k}: built at the next run`).join("\n"));
    return 0;
  } finally {
    store.close();
  }
}
