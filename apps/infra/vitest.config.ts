import { mergeConfig } from "vitest/config";
import { config } from "../../vitest.shared.js";

export default mergeConfig(config({ testTimeout: 120_000 }), {
  test: { setupFiles: ["./test/setup/tmpdir.ts"], globalSetup: ["./test/setup/no-leftovers.ts"] },
});
