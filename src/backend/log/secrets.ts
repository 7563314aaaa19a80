// Every secret the process has seen (Netdata tokens). Anything leaving the process through logs, errors or
// responses is scrubbed against this set, as a second line of defence behind not putting tokens there at all.
const secrets = new Set<string>();

/** Too-short values would scrub ordinary words; real tokens are UUIDs or long API keys. */
const MIN_SECRET_LENGTH = 6;

export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= MIN_SECRET_LENGTH) {
    secrets.add(secret);
  }
}

export function scrubSecrets(text: string): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) {
      out = out.split(secret).join('[redacted]');
    }
  }
  return out;
}
