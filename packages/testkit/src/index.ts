/** @mass-ingest/testkit (private, test-only): real servers on loopback and the Moderne CLI stand-in. */
export { freePort, waitForPort } from "./ports.js";
export { startMoto, type Moto } from "./moto.js";
export { startGitServer, type CreatedRepo, type GitServer, type GitServerOptions, type RepoSpec, type RepoStats } from "./git-server.js";
export {
  createModStandIn,
  pidAlive,
  STANDIN_DEFAULT_VERSION,
  type Call,
  type CliConfig,
  type CsvTable,
  type ModStandIn,
  type ModwRepository,
  type Published,
  type StandInConfig,
  type Trace,
  type TraceOutcome,
} from "./mod-standin.js";
export { startNginx, type Nginx, type NginxOptions } from "./nginx.js";
export { startFaultProxy, type FaultProxy, type FaultProxyOptions } from "./fault-proxy.js";
export { killGroup, runProcess, startProcess, type ProcessOptions, type ProcessResult, type StartedProcess } from "./process.js";
export { CHROMIUM, haveChromium, launchChromium } from "./chromium.js";
