import { countOf } from "@mass-ingest/contract";
import { describeError } from "@mass-ingest/core";
import { openStateStore } from "@mass-ingest/state";
import { probeBody, probeName } from "../probe/local.js";
import type { Check } from "../types.js";

/**
 * The state store is readable and writable: through the store's own backend (a local directory or s3://prefix),
 * a probe record is written, read back and removed; the store's records are only read (the state).
 */
export const stateStoreCheck: Check = {
  id: "state-store",
  title: "state store",
  async run({ settings, options }) {
    const url = settings.stateUrl;
    if (!url) return { status: "skip", detail: "no state store configured" };
    const key = `doctor/${probeName()}`;
    let step = "open";
    let store;
    try {
      store = openStateStore(url, { ...(options.aws ? { aws: options.aws } : {}), env: options.processEnv ?? process.env });
      step = "read the state of";
      const state = await store.readState();
      step = "write a probe record to";
      await store.backend.write(key, probeBody(key));
      step = "read a probe record back from";
      const back = await store.backend.read(key);
      if (back?.text !== probeBody(key)) throw new Error("the probe record read back differs");
      step = "remove the probe record from";
      await store.backend.remove(key);
      const repos = Object.keys(state.repos).length;
      return {
        status: "pass",
        detail: `${url}: state readable (${countOf(repos, "repository", "repositories")}), probe record written, read back and removed`,
      };
    } catch (error) {
      const e = describeError(error);
      return {
        status: "fail",
        detail: `cannot ${step} the state store ${url}: ${e.code ? `[${e.code}] ` : ""}${e.message}`,
        fix: e.hint ?? "Check the state location (a writable directory or s3://bucket/prefix), the region and the role's S3 permissions.",
      };
    } finally {
      store?.close();
    }
  },
};
