import { config } from "../../vitest.shared.js";

// One file, one long sequential scenario (registry up -> publish -> install -> use): generous timeouts,
// the whole run stays well under three minutes on a 2-core machine.
export default config({ testTimeout: 180_000 });
