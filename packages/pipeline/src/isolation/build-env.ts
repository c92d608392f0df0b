/**
 * The environment of an untrusted build: an allow-list. A repository's build runs arbitrary code, so it gets the
 * variables a JVM build needs (PATH, locale, time zone, JDK, Maven and Gradle options, proxies) and nothing else:
 * no credential, no AWS or ECS variable, no git configuration pointing at the credential files.
 */

/** Names (exact) and prefixes a build may see. */
const ALLOWED_NAMES = new Set([
  "PATH",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TERM",
  "NO_COLOR",
  "CUSTOM_CI",
  "CI",
  "JAVA_HOME",
  "JAVA_OPTS",
  "JAVA_TOOL_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "MAVEN_OPTS",
  "MAVEN_ARGS",
  "MAVEN_HOME",
  "M2_HOME",
  "GRADLE_OPTS",
  "GRADLE_HOME",
  "MODERNE_JAVA_HOME",
  "MOD_JAVA_OPTIONS",
  "MODERNE_OPTS",
  "MODERNE_JAR",
  "MODERNE_WRAPPER_VERSION",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "CURL_CA_BUNDLE",
  "NODE_EXTRA_CA_CERTS",
]);
const ALLOWED_PREFIXES = ["LC_", "JAVA_HOME_", "JDK_", "MODERNE_JAVA_"];

/** What never reaches a build, even when a caller lists it in `extra`. */
const NEVER: readonly RegExp[] = [
  /^AWS_/i,
  /^ECS_/i,
  /^PUBLISH_/i,
  /^MODERNE_TENANT$/i,
  /^MODERNE_TOKEN$/i,
  /^GIT_/i,
  /^MOD_LSTS_/i,
  /^MOD_LICENSE/i,
  /^MODERNE_WRAPPER_DISTRIBUTION_(USER|USERNAME|PASSWORD|TOKEN|AUTH)/i,
  /^SSH_AUTH_SOCK$/i,
  /PASSWORD|SECRET|TOKEN|CREDENTIAL/i,
];

/** True when the variable `name` may ever be passed into a build (the NEVER patterns win over every allow-list). */
export function passesIntoBuild(name: string): boolean {
  return !NEVER.some((pattern) => pattern.test(name));
}

function allowed(name: string, extra: ReadonlySet<string>): boolean {
  if (!passesIntoBuild(name)) return false;
  return ALLOWED_NAMES.has(name) || extra.has(name) || ALLOWED_PREFIXES.some((p) => name.startsWith(p));
}

export interface BuildEnvironmentOptions {
  /** The build's own HOME (also the JVM's user.home: `~/.m2` and `~/.gradle` are the build's). */
  home: string;
  /** The build's own TMPDIR. */
  tmpDir: string;
  /** USER and LOGNAME of the build. */
  user: string;
  /** More names to pass (e.g. a CLI stand-in's variables); the NEVER patterns still apply. */
  extra?: readonly string[];
}

/** The environment of one build, from the processor's: the allow-list, plus the build's own HOME, TMPDIR and USER. */
export function buildEnvironment(parentEnv: Record<string, string | undefined>, options: BuildEnvironmentOptions): Record<string, string> {
  const extra = new Set(options.extra ?? []);
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(parentEnv)) {
    if (value !== undefined && allowed(name, extra)) env[name] = value;
  }
  env.PATH ??= "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  env.HOME = options.home;
  env.TMPDIR = options.tmpDir;
  env.USER = options.user;
  env.LOGNAME = options.user;
  return env;
}
