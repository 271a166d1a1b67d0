/** The tokens of one action's body: `.Values.a`, `$x`, "strings", 1, true, idents, | ( ) := = , */
export type Token =
  | { kind: 'field'; base: string | null; path: string[] }
  | { kind: 'literal'; value: unknown }
  | { kind: 'ident'; name: string }
  | { kind: 'punct'; value: '|' | '(' | ')' | ':=' | '=' | ',' };

/** Each rule: what it matches at the start of the rest of the body, and the token it makes. */
const RULES: [RegExp, (text: string) => Token][] = [
  [/^:=|^[|()=,]/, (text) => ({ kind: 'punct', value: text as '|' })],
  [/^"(?:[^"\\]|\\.)*"/, (text) => ({ kind: 'literal', value: JSON.parse(text) })],
  [/^`[^`]*`/, (text) => ({ kind: 'literal', value: text.slice(1, -1) })],
  [
    /^\$[A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/,
    (text) => {
      const [base = '$', ...path] = text.split('.');
      return { kind: 'field', base, path };
    },
  ],
  [
    /^(\.[A-Za-z_][A-Za-z0-9_]*)+|^\./,
    (text) => ({ kind: 'field', base: null, path: text.split('.').filter(Boolean) }),
  ],
  // Go's parser keeps an integer constant an integer (int64): a bigint here.
  [
    /^-?\d+(\.\d+)?([eE][+-]?\d+)?/,
    (text) => ({ kind: 'literal', value: /^-?\d+$/.test(text) ? BigInt(text) : Number(text) }),
  ],
  [
    /^[A-Za-z_][A-Za-z0-9_]*/,
    (text) => {
      if (text === 'true' || text === 'false') return { kind: 'literal', value: text === 'true' };
      if (text === 'nil') return { kind: 'literal', value: null };
      return { kind: 'ident', name: text };
    },
  ],
];

export function tokenize(body: string, where: string): Token[] {
  const tokens: Token[] = [];
  let rest = body.trim();
  while (rest !== '') {
    const rule = RULES.map(([pattern, make]) => [rest.match(pattern)?.[0], make] as const).find(
      ([text]) => text,
    );
    if (!rule) throw new Error(`${where}: cannot read ${JSON.stringify(rest.slice(0, 20))} in {{ ${body} }}`);
    const [text, make] = rule as [string, (text: string) => Token];
    tokens.push(make(text));
    rest = rest.slice(text.length).trimStart();
  }
  return tokens;
}
