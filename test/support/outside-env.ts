/**
 * The settings dpbot reads from its environment (README "Environment"). A developer's own (a Slack token, a
 * corporate HTTPS_PROXY, DPBOT_CONFIG, LOG_LEVEL…) must not steer the tests, which reach only loopback fakes
 * and set what they need themselves; globalSetup removes them for the run. REDIS_URL stays (documented).
 */
const OUTSIDE = [
  /^DPBOT_(CONFIG|SHELL_USER|SCAN_CONCURRENCY|WORKER_NICE)$/,
  /^PORT$/,
  /^LOG_LEVEL$/,
  /^SLACK_/,
  /^MicrosoftApp/,
  /^AZURE_/,
  /^(IDENTITY|MSI)_(ENDPOINT|HEADER|SECRET)$/,
  /^(https?|all|no)_proxy$/i,
  /^KUBECONFIG$/,
];

/** Deletes those settings from env; returns their names (never their values: they may be tokens). */
export function dropOutsideSettings(env: NodeJS.ProcessEnv): string[] {
  const names = Object.keys(env)
    .filter((k) => OUTSIDE.some((re) => re.test(k)))
    .sort();
  for (const k of names) delete env[k];
  return names;
}
