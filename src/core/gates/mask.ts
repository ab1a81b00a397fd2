// Secrets never reach a comment, a summary or a check run: the values the run knows to be secret,
// and anything shaped like a credential even if nobody said so.

const SHAPES = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g,
];
const SECRET_NAME = /(?:TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY)/i;
export const MASK = '***';

/** The values of variables whose names say they are secret, long enough to matter. */
export function secretsInEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= 6)
    .map(([, value]) => value as string);
}

export function maskSecrets(text: string, secrets: readonly string[]): string {
  let masked = text;
  // Longest first, so that a secret containing another is masked whole.
  for (const secret of [...new Set(secrets)].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length)) {
    masked = masked.split(secret).join(MASK);
  }
  for (const shape of SHAPES) masked = masked.replace(shape, MASK);
  return masked;
}
