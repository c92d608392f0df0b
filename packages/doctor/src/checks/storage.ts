import { probeDirectory } from "../probe/local.js";
import { envName } from "../defaults.js";
import type { Check } from "../types.js";

/** DATA_DIR exists (or can be made) and is writable. */
export const dataDirCheck: Check = {
  id: "data-dir",
  title: envName("dataDir"),
  run: ({ dataDir }) => probeDirectory(dataDir, envName("dataDir")),
};
