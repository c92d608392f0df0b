import { defineConfig } from "tsup";

// The app bundles only its own code; the libraries stay dependencies resolved through their package entry points.
export default defineConfig({
  entry: ["src/main.ts"],
  format: ["esm"],
  clean: true,
  sourcemap: true,
  target: "node20",
  banner: { js: "#!/usr/bin/env node" },
});
