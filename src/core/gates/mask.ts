// Secrets never leave in any text: the values the run knows to be secret in every form they can
// take on the way out (raw, base64 at any byte alignment, URL- and JSON-escaped, and git's
// `x-access-token:` header), and anything shaped like a credential even if nobody said so.

const SHAPES = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{10,}\b/g, // Slack
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key ids
];
const KEY_BEGIN = /-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----/g;
const KEY_END = /-----END [A-Z ]{0,40}PRIVATE KEY-----/y;
const SECRET_NAME = /(?:TOKEN|SECRET|PASSWORD|PASSWD|PRIVATE|CREDENTIAL|API_?KEY|ACCESS_?KEY)/i;
export const MASK = '***';
/** Shorter values are too likely to occur by chance: masking them would garble ordinary text. */
const SHORTEST = 4;

/** The values of variables whose names say they are secret, long enough to matter. */
export function secretsInEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined && value.length >= 6)
    .map(([, value]) => value as string);
}

/**
 * The characters of `secret`'s base64 encoding when it starts `shift` bytes into a longer
 * encoded text: only the characters whose six bits all come from the secret, so the variant
 * matches wherever the secret sits in what was encoded (`x-access-token:TOKEN`, a JSON blob).
 */
function base64Core(secret: Buffer, shift: number, alphabet: 'base64' | 'base64url'): string {
  const encoded = Buffer.concat([Buffer.alloc(shift), secret]).toString(alphabet);
  const first = Math.ceil((shift * 8) / 6);
  const last = Math.floor(((shift + secret.length) * 8) / 6); // exclusive
  return encoded.slice(first, last);
}

/** Every form a secret may take in outgoing text. */
export function encodedForms(secret: string): string[] {
  if (secret.length < SHORTEST) return [];
  const bytes = Buffer.from(secret, 'utf8');
  const forms = [secret, encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)];
  for (const alphabet of ['base64', 'base64url'] as const) {
    for (const shift of [0, 1, 2]) forms.push(base64Core(bytes, shift, alphabet));
  }
  // Git's basic auth header, whole, in case a reader looks for that one exact string.
  forms.push(Buffer.from(`x-access-token:${secret}`).toString('base64'));
  return forms.filter((form) => form.length >= SHORTEST);
}

/** Masks known secrets (in all their forms) and credential shapes. Linear in the text per form. */
export class Masker {
  #forms: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    this.add(...secrets);
  }

  add(...secrets: string[]): void {
    const forms = new Set(this.#forms);
    for (const secret of secrets)
      if (secret.length >= SHORTEST) for (const form of encodedForms(secret)) forms.add(form);
    // Longest first, so that a form containing another is masked whole.
    this.#forms = [...forms].sort((a, b) => b.length - a.length);
  }

  /** The raw secrets and their forms, for the runner's own masking. */
  get forms(): readonly string[] {
    return this.#forms;
  }

  mask(text: string): string {
    let masked = text;
    for (const form of this.#forms) if (masked.includes(form)) masked = masked.split(form).join(MASK);
    for (const shape of SHAPES) masked = masked.replace(shape, MASK);
    return maskPrivateKeys(masked);
  }
}

/** PEM private keys, begin to end, found by search rather than a lazy pattern: linear time. */
function maskPrivateKeys(text: string): string {
  let out = '';
  let from = 0;
  KEY_BEGIN.lastIndex = 0;
  for (let begin = KEY_BEGIN.exec(text); begin; begin = KEY_BEGIN.exec(text)) {
    const endAt = text.indexOf('-----END ', KEY_BEGIN.lastIndex);
    if (endAt < 0) break;
    KEY_END.lastIndex = endAt;
    const end = KEY_END.exec(text);
    if (!end) {
      KEY_BEGIN.lastIndex = endAt + 1;
      continue;
    }
    out += text.slice(from, begin.index) + MASK;
    from = KEY_END.lastIndex;
    KEY_BEGIN.lastIndex = from;
  }
  return out + text.slice(from);
}

/** One-off masking with a list of secrets (and their encoded forms). */
export function maskSecrets(text: string, secrets: readonly string[]): string {
  return new Masker(secrets).mask(text);
}
