/**
 * The AWS SDK v3 prints a `NodeVersionSupportWarning` on Node 20 ("versions published after January 2027 will
 * require node >=22") once per process. Our engines field and the worker image (Node 22) already carry that
 * message, so the CLIs turn off exactly this warning with the SDK's own switch, unless the user set it. Call it
 * at the top of a CLI's entry, before any AWS client exists.
 */
export function quietAwsSdkNodeWarning(env: Record<string, string | undefined> = process.env): void {
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
