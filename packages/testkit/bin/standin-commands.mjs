// One declarative table per command, from the CLI reference's option tables (Moderne CLI 4.x; reference 4.6.0,
// release notes for `since`). `since`: first version that has it; `until`: first version that no longer has it.
// `deprecated`: still works, marked DEPRECATED in --help and recorded in calls.jsonl (Call.deprecated).
import { build } from "./standin-build.mjs";
import { configCommands } from "./standin-config.mjs";
import { logAdd, monitor } from "./standin-logs.mjs";
import { publish } from "./standin-publish.mjs";
import { gitSyncCsv } from "./standin-sync.mjs";

const TRACE_TAG = {
  flag: "--trace-tag=<key=value>",
  repeat: true,
  since: "4.2.2",
  description: "Adds a column tag.<key> with this value to trace.csv. Repeatable.",
};
const PATH = { label: "<path>", description: "The directory holding the repositories (the workspace)." };

export const COMMANDS = [
  {
    path: "git sync csv",
    kind: "sync",
    summary: "Synchronize the repositories listed in a repos.csv file into a workspace.",
    params: [PATH, { label: "<csv>", description: "A repos.csv file or URI (HTTP(S), s3://, Azure Blob)." }],
    options: [
      { flag: "--with-sources", description: "Clone the sources of each repository (default: none)." },
      { flag: "--with-lsts", description: "Download prebuilt LSTs (publishUri column)." },
      { flag: "--depth=<depth>", description: "Create a shallow clone with a history truncated to this many commits." },
      { flag: "--filter=<filter>", description: "Partial clone filter, as in git clone." },
      { flag: "--single-branch", description: "Clone only the history of one branch." },
      { flag: "--limit=<limit>", description: "Sync at most this many repositories." },
      { flag: "--organization=<organization>", description: "Sync only this organization." },
      { flag: "--parallel=<parallel>", incubating: true, description: "1 serial, 0 = cores, negative = cores minus n." },
      { flag: "--save", description: "Save settings to .moderne/moderne.yml instead of moderne-uncommitted.yml." },
      TRACE_TAG,
    ],
    run: gitSyncCsv,
  },
  {
    path: "build",
    kind: "build",
    summary: "Build LSTs of every repository under <path>.",
    params: [PATH],
    options: [
      { flag: "--dry-run", description: "List the steps without running them." },
      { flag: "--offline", description: "Run build tools in offline mode." },
      { flag: "--streaming", since: "3.57.0", incubating: true, description: "Machine-readable output." },
      { flag: "--full", since: "4.3.0", description: "Ignore cached prebuild metadata." },
      { flag: "--parallel[=<parallel>]", since: "4.3.0", incubating: true, description: "Build repositories in parallel." },
      { flag: "--incremental", since: "4.3.6", incubating: true, description: "Update LSTs in place." },
      { flag: "--no-download", until: "4.3.0", description: "Do not download prebuilt LSTs." },
      { flag: "--download-only", until: "4.3.0", description: "Only download prebuilt LSTs." },
      TRACE_TAG,
    ],
    run: build,
  },
  {
    path: "publish",
    kind: "publish",
    summary: "Publish the LSTs of the last build to the configured artifact repository.",
    params: [PATH],
    options: [
      TRACE_TAG,
      { flag: "--sync-csv", since: "4.8.1", incubating: true, description: "Clone, build and publish the store's repos.csv." },
      { flag: "--shard=<shard>", since: "4.8.1", incubating: true, description: "Shard i/M (0-based in 4.8.x, 1-based from 4.9.0)." },
      { flag: "--organization=<organization>", since: "4.8.1", incubating: true, description: "One organization." },
      { flag: "--parallel=<parallel>", since: "4.8.1", incubating: true, description: "Repositories in flight (default 1)." },
    ],
    run: publish,
  },
  {
    path: "log builds add",
    kind: "log",
    summary: "Add build logs to a zip file.",
    params: [PATH, { label: "<logPath>", description: "The zip file (may be absent; its directory must exist)." }],
    options: [
      { flag: "--build=<id>", description: "The build to add." },
      { flag: "--last-build", description: "Add the last build (also one that ended early)." },
    ],
    run: (p) => logAdd("builds", p),
  },
  {
    path: "log syncs add",
    kind: "log",
    summary: "Add sync logs to a zip file.",
    params: [PATH, { label: "<logPath>", description: "The zip file (may be absent; its directory must exist)." }],
    options: [
      { flag: "--sync=<id>", description: "The sync to add." },
      { flag: "--last-sync", description: "Add the last sync (also one that ended early)." },
    ],
    run: (p) => logAdd("syncs", p),
  },
  {
    path: "monitor",
    kind: "monitor",
    summary: "INCUBATING: serve Prometheus metrics on http://localhost:<port>/prometheus until stopped.",
    options: [{ flag: "--port=<port>", description: "The port (default 8080)." }],
    run: monitor,
  },
  ...configCommands,
];

/** Summaries of command groups, for `mod <group> --help`. */
export const GROUPS = {
  "": "The Moderne CLI.",
  git: "Git operations over many repositories.",
  "git sync": "Synchronize repositories.",
  log: "Collect logs.",
  "log builds": "Build logs.",
  "log syncs": "Sync logs.",
  config: "Configure the CLI.",
};
