// Dependencies outside the document: another issue, as `#123`, `owner/repo#123` or its URL, in a
// dependency line. The unit waits until that issue is closed as completed. Read a word at a time
// with anchored patterns: the line comes from anyone.

export interface ExternalRef {
  /** `#123` for this repository, `owner/repo#123` for another. */
  readonly ref: string;
  /** 0-based index of the reference in the text, and its length. */
  readonly index: number;
  readonly length: number;
}

const URL_REF = /^https?:\/\/(?:www\.)?github\.com\/([\w.-]+)\/([\w.-]+)\/(?:issues|pull)\/(\d+)(?:[#?/]\S*)?$/i;
const REPO_REF = /^([\w.-]+)\/([\w.-]+)#(\d+)$/;
const LOCAL_REF = /^#(\d+)$/;
const KIND = /^(?:issues?|prs?|pull|requests?|tickets?)$/i;

/** The external references in a dependency text, and the text with them blanked (columns kept). */
export function externalRefs(text: string): { readonly refs: ExternalRef[]; readonly rest: string } {
  const refs: ExternalRef[] = [];
  // `Issues #2, #3`, `PR #4`: the word that says what they are belongs to the references.
  let kind: { index: number; length: number } | undefined;
  for (const match of text.matchAll(/[^\s,;]+/g)) {
    if (KIND.test(match[0])) {
      kind = { index: match.index, length: match[0].length };
      continue;
    }
    let word = match[0];
    let index = match.index;
    // `(#123)`, `#123.`: the brackets and the sentence's end are not the reference.
    while (word.startsWith('(') || word.startsWith('[')) [word, index] = [word.slice(1), index + 1];
    word = word.replace(/[.)\]:!?]+$/, '');
    const url = URL_REF.exec(word);
    const repo = url ? undefined : REPO_REF.exec(word);
    const local = url || repo ? undefined : LOCAL_REF.exec(word);
    const ref = url
      ? `${url[1]}/${url[2]}#${Number(url[3])}`
      : repo
        ? `${repo[1]}/${repo[2]}#${Number(repo[3])}`
        : local
          ? `#${Number(local[1])}`
          : undefined;
    if (ref === undefined) {
      kind = undefined;
      continue;
    }
    if (kind) {
      // Kept out of the references, but blanked with them: `Issues` names no stream.
      refs.push({ ref: '', index: kind.index, length: kind.length });
      kind = undefined;
    }
    refs.push({ ref, index, length: word.length });
  }
  // Built once, in order: blanking each in turn would copy the text once per reference.
  let rest = '';
  let from = 0;
  for (const { index, length } of refs) {
    rest += text.slice(from, index) + ' '.repeat(length);
    from = index + length;
  }
  return { refs: refs.filter((r) => r.ref !== ''), rest: rest + text.slice(from) };
}
