/**
 * A JMESPath parser (https://jmespath.org/specification.html): lexer and Pratt parser into an AST. No JMESPath
 * package is among the project's dependencies, so Kyverno's `{{ }}` expressions are parsed here.
 */

export type Node =
  | { type: 'field'; name: string }
  | { type: 'current' }
  | { type: 'literal'; value: unknown }
  | { type: 'sub'; left: Node; right: Node }
  | { type: 'index'; index: number }
  | { type: 'slice'; start: number | null; stop: number | null; step: number | null }
  | { type: 'indexed'; left: Node; right: Node }
  | { type: 'projection'; left: Node; right: Node }
  | { type: 'valueProjection'; left: Node; right: Node }
  | { type: 'filter'; left: Node; right: Node; condition: Node }
  | { type: 'flatten'; child: Node }
  | { type: 'pipe'; left: Node; right: Node }
  | { type: 'or'; left: Node; right: Node }
  | { type: 'and'; left: Node; right: Node }
  | { type: 'not'; child: Node }
  | { type: 'compare'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: Node; right: Node }
  | { type: 'multiList'; items: Node[] }
  | { type: 'multiHash'; entries: { key: string; value: Node }[] }
  | { type: 'call'; name: string; args: Node[] }
  | { type: 'expref'; child: Node };

type TokenType =
  | 'ident'
  | 'quoted'
  | 'literal'
  | 'number'
  | 'eof'
  | '.'
  | '*'
  | '['
  | ']'
  | '[]'
  | '[?'
  | '{'
  | '}'
  | '('
  | ')'
  | ','
  | ':'
  | '|'
  | '||'
  | '&&'
  | '&'
  | '!'
  | '@'
  | 'cmp';

interface Token {
  type: TokenType;
  value?: unknown;
  pos: number;
}

/** An expression reference (`&expr`) as functions such as sort_by and map receive it. */
export class ExpRef {
  constructor(readonly expref: Node) {}
}

export class JmesPathError extends Error {
  override readonly name = 'JmesPathError';
}

const IDENT_START = /[A-Za-z_]/;
const IDENT = /[A-Za-z0-9_]/;

function readDelimited(text: string, start: number, quote: string): { body: string; end: number } {
  let i = start + 1;
  let body = '';
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && i + 1 < text.length) {
      body += text[i]! + text[i + 1]!;
      i += 2;
    } else body += text[i++]!;
  }
  if (i >= text.length) throw new JmesPathError(`unterminated ${quote} at ${start}`);
  return { body, end: i + 1 };
}

function literalValue(body: string): unknown {
  const text = body.replaceAll('\\`', '`');
  try {
    return JSON.parse(text);
  } catch {
    // JMESPath's legacy form: an unquoted literal string
    return JSON.parse(JSON.stringify(text.trim()));
  }
}

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const two = (s: string) => text.startsWith(s, i);
  while (i < text.length) {
    const c = text[i]!;
    const pos = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT.test(text[j]!)) j++;
      out.push({ type: 'ident', value: text.slice(i, j), pos });
      i = j;
    } else if (c === '"') {
      const { body, end } = readDelimited(text, i, '"');
      out.push({ type: 'quoted', value: JSON.parse(`"${body}"`), pos });
      i = end;
    } else if (c === "'") {
      const { body, end } = readDelimited(text, i, "'");
      out.push({ type: 'literal', value: body.replaceAll("\\'", "'"), pos });
      i = end;
    } else if (c === '`') {
      const { body, end } = readDelimited(text, i, '`');
      out.push({ type: 'literal', value: literalValue(body), pos });
      i = end;
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      let j = i + 1;
      while (j < text.length && text[j]! >= '0' && text[j]! <= '9') j++;
      out.push({ type: 'number', value: Number(text.slice(i, j)), pos });
      i = j;
    } else if (two('[]')) {
      out.push({ type: '[]', pos });
      i += 2;
    } else if (two('[?')) {
      out.push({ type: '[?', pos });
      i += 2;
    } else if (two('||') || two('&&')) {
      out.push({ type: text.slice(i, i + 2) as TokenType, pos });
      i += 2;
    } else if (two('==') || two('!=') || two('<=') || two('>=')) {
      out.push({ type: 'cmp', value: text.slice(i, i + 2), pos });
      i += 2;
    } else if (c === '<' || c === '>') {
      out.push({ type: 'cmp', value: c, pos });
      i++;
    } else if ('.*[]{}(),:|&!@'.includes(c)) {
      out.push({ type: c as TokenType, pos });
      i++;
    } else {
      throw new JmesPathError(`unexpected character "${c}" at ${i}`);
    }
  }
  out.push({ type: 'eof', pos: text.length });
  return out;
}

const BINDING: Partial<Record<TokenType, number>> = {
  '|': 1,
  '||': 2,
  '&&': 3,
  cmp: 5,
  '[]': 9,
  '*': 20,
  '[?': 21,
  '.': 40,
  '!': 45,
  '{': 50,
  '[': 55,
  '(': 60,
};
const bp = (t: TokenType) => BINDING[t] ?? 0;

class Parser {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(n = 0): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)]!;
  }
  private next(): Token {
    return this.tokens[this.i++]!;
  }
  private expect(type: TokenType): Token {
    const t = this.next();
    if (t.type !== type) throw new JmesPathError(`expected ${type} at ${t.pos}, got ${t.type}`);
    return t;
  }

  parse(): Node {
    const node = this.expression(0);
    if (this.peek().type !== 'eof')
      throw new JmesPathError(`unexpected ${this.peek().type} at ${this.peek().pos}`);
    return node;
  }

  expression(rbp: number): Node {
    let left = this.nud(this.next());
    while (rbp < bp(this.peek().type)) left = this.led(this.next(), left);
    return left;
  }

  private nud(t: Token): Node {
    switch (t.type) {
      case 'literal':
        return { type: 'literal', value: t.value };
      case 'ident':
        return { type: 'field', name: t.value as string };
      case 'quoted':
        if (this.peek().type === '(') throw new JmesPathError('quoted identifier cannot be a function name');
        return { type: 'field', name: t.value as string };
      case '!':
        return { type: 'not', child: this.expression(bp('!')) };
      case '*': {
        const right = this.peek().type === ']' ? { type: 'current' as const } : this.projectionRhs(bp('*'));
        return { type: 'valueProjection', left: { type: 'current' }, right };
      }
      case '[?':
        return this.led(t, { type: 'current' });
      case '{':
        return this.multiHash();
      case '[]':
        return {
          type: 'projection',
          left: { type: 'flatten', child: { type: 'current' } },
          right: this.projectionRhs(bp('[]')),
        };
      case '[': {
        const la = this.peek().type;
        if (la === 'number' || la === ':') return this.indexed({ type: 'current' }, this.indexExpression());
        if (la === '*' && this.peek(1).type === ']') {
          this.i += 2;
          return { type: 'projection', left: { type: 'current' }, right: this.projectionRhs(bp('*')) };
        }
        return this.multiList();
      }
      case '@':
        return { type: 'current' };
      case '&':
        return { type: 'expref', child: this.expression(bp('&')) };
      case '(': {
        const e = this.expression(0);
        this.expect(')');
        return e;
      }
      default:
        throw new JmesPathError(`unexpected ${t.type} at ${t.pos}`);
    }
  }

  private led(t: Token, left: Node): Node {
    switch (t.type) {
      case '.':
        if (this.peek().type !== '*') return { type: 'sub', left, right: this.dotRhs(bp('.')) };
        this.next();
        return { type: 'valueProjection', left, right: this.projectionRhs(bp('.')) };
      case '|':
        return { type: 'pipe', left, right: this.expression(bp('|')) };
      case '||':
        return { type: 'or', left, right: this.expression(bp('||')) };
      case '&&':
        return { type: 'and', left, right: this.expression(bp('&&')) };
      case '(': {
        if (left.type !== 'field') throw new JmesPathError(`function call on a non-name at ${t.pos}`);
        const args: Node[] = [];
        while (this.peek().type !== ')') {
          args.push(this.expression(0));
          if (this.peek().type === ',') this.next();
        }
        this.expect(')');
        return { type: 'call', name: left.name, args };
      }
      case '[?': {
        const condition = this.expression(0);
        this.expect(']');
        const right: Node = this.peek().type === '[]' ? { type: 'current' } : this.projectionRhs(bp('[?'));
        return { type: 'filter', left, right, condition };
      }
      case '[]':
        return {
          type: 'projection',
          left: { type: 'flatten', child: left },
          right: this.projectionRhs(bp('[]')),
        };
      case 'cmp':
        return {
          type: 'compare',
          op: t.value as '==',
          left,
          right: this.expression(bp('cmp')),
        };
      case '[': {
        const la = this.peek().type;
        if (la === 'number' || la === ':') return this.indexed(left, this.indexExpression());
        this.expect('*');
        this.expect(']');
        return { type: 'projection', left, right: this.projectionRhs(bp('*')) };
      }
      default:
        throw new JmesPathError(`unexpected ${t.type} at ${t.pos}`);
    }
  }

  private indexed(left: Node, right: Node): Node {
    if (right.type === 'slice')
      return {
        type: 'projection',
        left: { type: 'indexed', left, right },
        right: this.projectionRhs(bp('*')),
      };
    return { type: 'indexed', left, right };
  }

  private indexExpression(): Node {
    const parts: (number | null)[] = [null, null, null];
    let slot = 0;
    let isSlice = false;
    while (this.peek().type !== ']') {
      const t = this.next();
      if (t.type === ':') {
        isSlice = true;
        slot++;
        if (slot > 2) throw new JmesPathError(`too many colons at ${t.pos}`);
      } else if (t.type === 'number') parts[slot] = t.value as number;
      else throw new JmesPathError(`unexpected ${t.type} in index at ${t.pos}`);
    }
    this.expect(']');
    if (!isSlice) return { type: 'index', index: parts[0]! };
    return { type: 'slice', start: parts[0]!, stop: parts[1]!, step: parts[2]! };
  }

  private projectionRhs(rbp: number): Node {
    const la = this.peek().type;
    if (bp(la) < 10) return { type: 'current' };
    if (la === '[' || la === '[?') return this.expression(rbp);
    if (la === '.') {
      this.next();
      return this.dotRhs(rbp);
    }
    throw new JmesPathError(`unexpected ${la} after projection at ${this.peek().pos}`);
  }

  private dotRhs(rbp: number): Node {
    const la = this.peek().type;
    if (la === 'ident' || la === 'quoted' || la === '*') return this.expression(rbp);
    if (la === '[') {
      this.next();
      return this.multiList();
    }
    if (la === '{') {
      this.next();
      return this.multiHash();
    }
    throw new JmesPathError(`unexpected ${la} after "." at ${this.peek().pos}`);
  }

  private multiList(): Node {
    const items: Node[] = [];
    while (this.peek().type !== ']') {
      items.push(this.expression(0));
      if (this.peek().type === ',') this.next();
      else if (this.peek().type !== ']') throw new JmesPathError(`expected , or ] at ${this.peek().pos}`);
    }
    this.expect(']');
    return { type: 'multiList', items };
  }

  private multiHash(): Node {
    const entries: { key: string; value: Node }[] = [];
    while (this.peek().type !== '}') {
      const k = this.next();
      if (k.type !== 'ident' && k.type !== 'quoted') throw new JmesPathError(`expected a key at ${k.pos}`);
      this.expect(':');
      entries.push({ key: k.value as string, value: this.expression(0) });
      if (this.peek().type === ',') this.next();
      else if (this.peek().type !== '}') throw new JmesPathError(`expected , or } at ${this.peek().pos}`);
    }
    this.expect('}');
    return { type: 'multiHash', entries };
  }
}

const cache = new Map<string, Node>();

/** Parse (cached per text: policies repeat the same expressions over every object). */
export function parseJmesPath(text: string): Node {
  let node = cache.get(text);
  if (!node) {
    node = new Parser(tokenize(text)).parse();
    if (cache.size > 10_000) cache.clear();
    cache.set(text, node);
  }
  return node;
}
