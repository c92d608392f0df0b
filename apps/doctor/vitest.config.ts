import { config } from "../../vitest.shared.js";

export default config({ testTimeout: 120_000 });
