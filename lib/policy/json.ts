/** A small strict JSON (RFC 8259) parser that keeps the line and column of every key and value, which JSON.parse cannot give. */

export interface Position {
  line: number;
  column: number;
  offset: number;
}

export interface JsonEntry {
  key: string;
  keyPos: Position;
  value: JsonNode;
}

export type JsonNode =
  | { kind: 'object'; entries: JsonEntry[]; pos: Position }
  | { kind: 'array'; items: JsonNode[]; pos: Position }
  | { kind: 'string'; value: string; pos: Position }
  | { kind: 'number'; value: number; raw: string; pos: Position }
  | { kind: 'boolean'; value: boolean; pos: Position }
  | { kind: 'null'; pos: Position };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: Position,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

// Deep enough for any policy, shallow enough that hostile input cannot overflow the stack.
const MAX_DEPTH = 64;

export function parseJson(text: string): JsonNode {
  return new Parser(text).parseDocument();
}

class Parser {
  private i = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  parseDocument(): JsonNode {
    this.skipWhitespace();
    if (this.i >= this.text.length) this.fail('The document is empty: expected a JSON object');
    const node = this.parseValue(0);
    this.skipWhitespace();
    if (this.i < this.text.length) this.fail(`Unexpected ${this.describe()} after the end of the JSON document`);
    return node;
  }

  private pos(): Position {
    return { line: this.line, column: this.i - this.lineStart + 1, offset: this.i };
  }

  private fail(message: string, pos: Position = this.pos()): never {
    throw new JsonSyntaxError(message, pos);
  }

  private describe(): string {
    if (this.i >= this.text.length) return 'end of input';
    const ch = this.text[this.i];
    return `character ${JSON.stringify(ch)}`;
  }

  private skipWhitespace(): void {
    while (this.i < this.text.length) {
      const ch = this.text[this.i];
      if (ch === '\n') {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (ch === ' ' || ch === '\t' || ch === '\r') {
        this.i++;
      } else {
        break;
      }
    }
  }

  private parseValue(depth: number): JsonNode {
    if (depth > MAX_DEPTH) this.fail(`JSON is nested deeper than ${MAX_DEPTH} levels`);
    const pos = this.pos();
    const ch = this.text[this.i];
    if (ch === '{') return this.parseObject(depth, pos);
    if (ch === '[') return this.parseArray(depth, pos);
    if (ch === '"') return { kind: 'string', value: this.parseString(), pos };
    if (ch === '-' || (ch >= '0' && ch <= '9')) return this.parseNumber(pos);
    for (const [word, node] of [
      ['true', { kind: 'boolean', value: true, pos }],
      ['false', { kind: 'boolean', value: false, pos }],
      ['null', { kind: 'null', pos }],
    ] as const) {
      if (this.text.startsWith(word, this.i)) {
        this.i += word.length;
        return node;
      }
    }
    if (ch === "'") this.fail('Strings must use double quotes (")');
    this.fail(`Unexpected ${this.describe()}: expected a JSON value`);
  }

  private parseObject(depth: number, pos: Position): JsonNode {
    this.i++; // {
    const entries: JsonEntry[] = [];
    this.skipWhitespace();
    if (this.text[this.i] === '}') {
      this.i++;
      return { kind: 'object', entries, pos };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] !== '"') {
        if (this.text[this.i] === '}') this.fail('Trailing comma before "}"');
        this.fail(`Unexpected ${this.describe()}: expected a property name in double quotes`);
      }
      const keyPos = this.pos();
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.i] !== ':') this.fail(`Unexpected ${this.describe()}: expected ":" after property name ${JSON.stringify(key)}`);
      this.i++;
      this.skipWhitespace();
      const value = this.parseValue(depth + 1);
      entries.push({ key, keyPos, value });
      this.skipWhitespace();
      const next = this.text[this.i];
      if (next === ',') {
        this.i++;
        continue;
      }
      if (next === '}') {
        this.i++;
        return { kind: 'object', entries, pos };
      }
      this.fail(`Unexpected ${this.describe()}: expected "," or "}" after the value of ${JSON.stringify(key)}`);
    }
  }

  private parseArray(depth: number, pos: Position): JsonNode {
    this.i++; // [
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.i] === ']') {
      this.i++;
      return { kind: 'array', items, pos };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] === ']') this.fail('Trailing comma before "]"');
      items.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.i];
      if (next === ',') {
        this.i++;
        continue;
      }
      if (next === ']') {
        this.i++;
        return { kind: 'array', items, pos };
      }
      this.fail(`Unexpected ${this.describe()}: expected "," or "]" in the array`);
    }
  }

  private parseString(): string {
    const start = this.pos();
    this.i++; // opening quote
    let out = '';
    for (;;) {
      if (this.i >= this.text.length) this.fail('Unterminated string', start);
      const ch = this.text[this.i];
      if (ch === '"') {
        this.i++;
        return out;
      }
      if (ch === '\n' || ch === '\r') this.fail('Unterminated string: a line break must be written as \\n inside a string', start);
      if (ch < ' ') this.fail(`Control character U+${ch.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} must be escaped in a string`);
      if (ch !== '\\') {
        out += ch;
        this.i++;
        continue;
      }
      const esc = this.text[this.i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (esc !== undefined && esc in simple) {
        out += simple[esc];
        this.i += 2;
      } else if (esc === 'u') {
        const hex = this.text.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Invalid \\u escape: expected four hexadecimal digits');
        out += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else {
        this.fail(`Invalid escape sequence "\\${esc ?? ''}" in a string`);
      }
    }
  }

  private parseNumber(pos: Position): JsonNode {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i));
    if (!m) this.fail(`Invalid number`);
    const raw = m[0];
    this.i += raw.length;
    const after = this.text[this.i];
    if (after !== undefined && /[0-9A-Za-z.]/.test(after)) this.fail(`Invalid number "${raw}${after}"`, pos);
    return { kind: 'number', value: Number(raw), raw, pos };
  }
}
