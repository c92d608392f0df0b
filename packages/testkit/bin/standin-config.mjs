// `mod config ...`: the tables and what each stores in cli-config.json (CliConfig in src/mod-standin.ts).
import { readFileSync } from "node:fs";
import { UsageError, loadCliConfig, redact, saveCliConfig, say } from "./standin-context.mjs";

const URL_PARAM = { label: "<url>", description: "The repository URL." };
const SKIP_SSL = { flag: "--skip-ssl", description: "Do not verify TLS certificates." };
const AUTHORIZATION = { flag: "--authorization=<authorization>", description: "Authorization header value, e.g. `Bearer XXXXX`." };
const USER = { flag: "--user=<user>", description: "User name." };
const PASSWORD = { flag: "--password=<password>", description: "Password." };

/** Copy the given options into `target` under their stored names (only those given). */
function pick(values, names) {
  const out = {};
  for (const [key, stored] of Object.entries(names)) if (values[key] !== undefined) out[stored] = values[key];
  return out;
}

function httpUrl(url, command) {
  if (!/^https?:\/\//.test(url))
    throw new UsageError(`Invalid value for positional parameter at index 0 (<url>): '${redact(url)}'`, command);
  return url;
}

function storeArtifacts(artifacts) {
  saveCliConfig({ artifacts });
  say(`Saved ${artifacts.type} artifact repository ${redact(artifacts.url)}`);
  return 0;
}

const mavenStore = ({ values, positionals, command }) =>
  storeArtifacts({
    type: "maven",
    url: httpUrl(positionals[0], command),
    ...pick(values, { user: "user", password: "password", authorization: "authorization", "skip-ssl": "skipSsl", local: "local" }),
  });

const artifactoryStore = ({ values, positionals, command }) =>
  storeArtifacts({
    type: "artifactory",
    url: httpUrl(positionals[0], command),
    ...pick(values, {
      "jfrog-api-token": "token",
      authorization: "authorization",
      user: "user",
      password: "password",
      "skip-ssl": "skipSsl",
    }),
  });

function s3Store({ values, positionals, command }) {
  const url = positionals[0];
  if (!url.startsWith("s3://"))
    throw new UsageError(`Invalid value for positional parameter at index 0 (<url>): '${redact(url)}'`, command);
  return storeArtifacts({
    type: "s3",
    url,
    ...pick(values, { "endpoint-url": "endpoint", profile: "profile", region: "region", "skip-ssl": "skipSsl" }),
  });
}

const MAVEN_OPTIONS = [
  AUTHORIZATION,
  USER,
  PASSWORD,
  { flag: "--local", description: "A local Maven repository." },
  { flag: "--save", description: "Save to .moderne/moderne.yml." },
  SKIP_SSL,
];
const ARTIFACTORY_OPTIONS = [
  AUTHORIZATION,
  { flag: "--jfrog-api-token=<jfrogApiToken>", description: "JFrog API token." },
  USER,
  PASSWORD,
  SKIP_SSL,
];

function moderneEdit({ values, positionals }) {
  const fields = pick(values, { token: "token", api: "api", "skip-ssl": "skipSsl", user: "user", password: "password" });
  saveCliConfig({ moderne: { tenant: positionals[0], ...fields } });
  say(`Saved Moderne tenant ${positionals[0]}`);
  return 0;
}

/** `--with-token=<t>` / `--with-token <t>`, or `--with-token` alone: the token is read from stdin. */
function moderneLogin({ values }) {
  const current = loadCliConfig().moderne;
  if (!current?.tenant) {
    say("No Moderne tenant configured: run `mod config moderne edit <host>` first");
    return 1;
  }
  if (values["with-token"] === undefined) {
    say("Interactive login needs a browser; use --with-token (token on standard input)");
    return 1;
  }
  const token = (values["with-token"] === true ? readFileSync(0, "utf8") : values["with-token"]).trim();
  if (!token) {
    say("No token given: pass it on standard input with --with-token");
    return 1;
  }
  saveCliConfig({ moderne: { ...current, token, ...pick(values, { expiration: "expiration" }) } });
  say(`Logged in to ${current.tenant}`);
  return 0;
}

const ISO_DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/i;
const durationCommand = (path, summary, save) => ({
  path,
  kind: "config",
  summary,
  params: [{ label: "<duration>", description: "An ISO-8601 duration, e.g. PT45M." }],
  run({ positionals, command }) {
    if (!ISO_DURATION.test(positionals[0])) {
      throw new UsageError(`Invalid value for positional parameter at index 0 (<duration>): '${positionals[0]}'`, command);
    }
    save(positionals[0].toUpperCase());
    say(`Saved ${path.replace(/ edit$/, "")} ${positionals[0]}`);
    return 0;
  },
});

const trustStore = (value) => () => {
  saveCliConfig({ trustStore: value });
  say(`Saved trust store ${value}`);
  return 0;
};

const BUILD_TOOLS = ["maven", "gradle", "bazel", "dotnet", "node", "python", "mainframe"];

export const configCommands = [
  {
    path: "config moderne edit",
    kind: "config",
    summary: "Configure the Moderne tenant.",
    params: [{ label: "<host>", description: "The tenant, e.g. https://app.moderne.io." }],
    options: [
      { flag: "--api=<api>", description: "The tenant's API URL." },
      SKIP_SSL,
      { flag: "--token=<token>", deprecated: true, description: "Use `mod config moderne login --with-token`." },
      { ...USER, deprecated: true },
      { ...PASSWORD, deprecated: true },
    ],
    run: moderneEdit,
  },
  {
    path: "config moderne login",
    kind: "config",
    summary: "Log in to the configured Moderne tenant.",
    options: [
      { flag: "--with-token[=<token>]", description: "Log in with a personal access token, read from standard input." },
      { flag: "--expiration=<expiration>", description: "Expiration of the generated token." },
    ],
    run: moderneLogin,
  },
  {
    path: "config lsts artifacts maven add",
    kind: "config",
    since: "3.57.0",
    summary: "Publish LSTs to a Maven repository.",
    params: [URL_PARAM],
    options: MAVEN_OPTIONS,
    run: mavenStore,
  },
  {
    path: "config lsts artifacts maven edit",
    kind: "config",
    deprecated: "use `mod config lsts artifacts maven add`.",
    summary: "Publish LSTs to a Maven repository.",
    params: [URL_PARAM],
    options: MAVEN_OPTIONS,
    run: mavenStore,
  },
  {
    path: "config lsts artifacts artifactory add",
    kind: "config",
    since: "3.57.0",
    summary: "Publish LSTs to Artifactory.",
    params: [URL_PARAM],
    options: ARTIFACTORY_OPTIONS,
    run: artifactoryStore,
  },
  {
    path: "config lsts artifacts artifactory edit",
    kind: "config",
    deprecated: "use `mod config lsts artifacts artifactory add`.",
    summary: "Publish LSTs to Artifactory.",
    params: [URL_PARAM],
    options: ARTIFACTORY_OPTIONS,
    run: artifactoryStore,
  },
  {
    path: "config lsts artifacts s3 edit",
    kind: "config",
    summary: "Publish LSTs to an S3 bucket.",
    params: [{ label: "<url>", description: "s3://bucket[/prefix]" }],
    options: [
      { flag: "--endpoint-url=<endpointUrl>", description: "A custom S3 endpoint." },
      { flag: "--profile=<profile>", description: "The AWS profile." },
      { flag: "--region=<region>", description: "The AWS region." },
      SKIP_SSL,
    ],
    run: s3Store,
  },
  {
    path: "config java options edit",
    kind: "config",
    summary: "JVM options of the CLI.",
    params: [{ label: "<options>", description: "The options, as one argument.", dashValue: true }],
    run({ positionals }) {
      saveCliConfig({ javaOptions: positionals[0] });
      say(`Saved JVM options ${positionals[0]}`);
      return 0;
    },
  },
  {
    path: "config http trust-store edit java-home",
    kind: "config",
    deprecated: "use `mod config http trust-store edit file <cacerts>` or `edit system`.",
    summary: "Trust the CA certificates of the running JDK.",
    run: trustStore("java-home"),
  },
  {
    path: "config http trust-store edit file",
    kind: "config",
    since: "3.48.6",
    summary: "Trust the certificates of a trust store file.",
    params: [{ label: "<file>", description: "The trust store, e.g. $JAVA_HOME/lib/security/cacerts." }],
    run: ({ positionals }) => trustStore(positionals[0])(),
  },
  {
    path: "config http trust-store edit system",
    kind: "config",
    since: "3.48.6",
    summary: "Trust the operating system's certificates.",
    run: trustStore("system"),
  },
  ...BUILD_TOOLS.map((tool) =>
    durationCommand(`config build ${tool} timeout edit`, `Timeout of a ${tool} build.`, (d) =>
      saveCliConfig({ buildTimeouts: { ...loadCliConfig().buildTimeouts, [tool]: d } }),
    ),
  ),
  durationCommand("config clone timeout edit", "Timeout of a clone (default PT10M).", (d) => saveCliConfig({ cloneTimeout: d })),
  {
    path: "config license edit",
    kind: "config",
    summary: "The Moderne DX license key.",
    params: [{ label: "<license>", description: "The license key." }],
    run({ positionals }) {
      saveCliConfig({ license: positionals[0] });
      say("Saved license");
      return 0;
    },
  },
];
