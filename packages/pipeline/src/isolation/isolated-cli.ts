import path from "node:path";
import type { ModCli, ModRunOptions, ModRunResult } from "../mod-cli.js";
import { buildEnvironment } from "./build-env.js";
import type { BuildUsers } from "./build-users.js";
import { enterBuild, leaveBuild, type BuildPlace } from "./sandbox.js";

export interface BuildIsolationOptions {
  /** The pool of build users (one per build slot). */
  users: BuildUsers;
  /** The processor's environment, filtered through buildEnvironment for each build. */
  parentEnv: Record<string, string | undefined>;
  /** Where each build's HOME is made (e.g. `DATA_DIR/.build-homes`). */
  homeRoot: string;
  /** More variable names a build may see (buildEnvironment `extra`). */
  extraEnv?: readonly string[];
}

/**
 * A ModCli that runs `mod build <dir>` as a build user of the pool (its own uid, HOME, TMPDIR and allow-listed
 * environment, only its own checkout writable) and every other call (sync, publish, logs, config) as the processor
 * with its credentials. After each build, every process of the build user is killed and the checkout is given
 * back (see leaveBuild).
 */
export class IsolatedModCli implements ModCli {
  constructor(
    readonly inner: ModCli,
    readonly options: BuildIsolationOptions,
  ) {}

  async run(args: readonly string[], options: ModRunOptions = {}): Promise<ModRunResult> {
    if (args[0] !== "build" || args[1] === undefined) return this.inner.run(args, options);
    const checkout = path.resolve(options.cwd ?? ".", args[1]);
    const { users, parentEnv, homeRoot, extraEnv } = this.options;
    const user = users.acquire();
    const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
    let place: BuildPlace | undefined;
    try {
      place = await enterBuild(checkout, user, homeRoot);
      const env = buildEnvironment(parentEnv, { home: place.home, tmpDir: place.tmpDir, user: user.name, extra: extraEnv ?? [] });
      return await this.inner.run(args, { ...options, user: { uid: user.uid, gid: user.gid, env } });
    } finally {
      await leaveBuild(checkout, user, owner, place);
      users.release(user);
    }
  }
}
