import { config } from "../../vitest.shared.js";

export default config({ testTimeout: 300_000 });
