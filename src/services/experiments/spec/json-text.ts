/**
 * Reads the text of a JSON file the way a user needs when it is broken: a syntax error names its
 * line and column and says what was expected (V8's JSON.parse messages often give neither), and a
 * key written twice in one object is reported (JSON.parse silently keeps the last one).
 *
 * A leading UTF-8 byte order mark is accepted and ignored (Windows editors write one); columns
 * count UTF-16 code units from 1 and do not count the mark. Comments, trailing commas, single
 * quotes, NaN and Infinity are JSON5 or JavaScript, not JSON, and are errors with their position.
 * The scanner only checks; JSON.parse builds the value.
 */
import { quoteInput } from '../../../engine/index.js';
import { joinPath, type FieldIssue } from './errors.js';

export type JsonReadResult = { ok: true; value: unknown; duplicates: FieldIssue[] } | { ok: false; issue: FieldIssue };

const MAX_DEPTH = 200;

export function readJsonText(rawText: string): JsonReadResult {
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const scanner = new Scanner(text);
  try {
    scanner.document();
  } catch (e) {
    if (!(e instanceof SyntaxAt)) throw e;
    const { line, column } = lineColumn(text, e.offset);
    return { ok: false, issue: { path: '', message: `line ${line}, column ${column}: ${e.message}` } };
  }
  const duplicates = scanner.duplicates.map(({ path, first, second }) => {
    const a = lineColumn(text, first);
    const b = lineColumn(text, second);
    return {
      path,
      message: `is written twice in the same object (line ${a.line}, column ${a.column} and line ${b.line}, column ${b.column}); JSON keeps only the last one, so remove one of them`,
    };
  });
  return { ok: true, value: JSON.parse(text), duplicates };
}

/** 1-based line and column of a UTF-16 offset; \r\n and \n end a line. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

class SyntaxAt extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const WORD = /[^\s,:[\]{}"]{1,24}/y;
const VALUE_HINT = 'a value (a string in double quotes, a number, true, false, null, a list or an object)';

class Scanner {
  pos = 0;
  readonly duplicates: Array<{ path: string; first: number; second: number }> = [];
  constructor(private readonly text: string) {}

  document(): void {
    this.space();
    if (this.pos >= this.text.length) throw new SyntaxAt(0, 'the file is empty; an experiment is a JSON object {...}');
    this.value('', 0);
    this.space();
    if (this.pos < this.text.length) throw new SyntaxAt(this.pos, `unexpected ${this.token()} after the end of the JSON value`);
  }

  private value(path: string, depth: number): void {
    this.space();
    const c = this.text[this.pos];
    if (c === undefined) throw new SyntaxAt(this.pos, `unexpected end of file; expected ${VALUE_HINT}`);
    if (depth > MAX_DEPTH) throw new SyntaxAt(this.pos, `nested more than ${MAX_DEPTH} levels deep`);
    if (c === '{') return this.object(path, depth);
    if (c === '[') return this.array(path, depth);
    if (c === '"') return void this.string();
    if (c === "'") throw new SyntaxAt(this.pos, 'strings must be in double quotes ("..."), not single quotes');
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    const word = this.word();
    if (word === 'true' || word === 'false' || word === 'null') return void (this.pos += word.length);
    if (word === 'NaN' || word === 'Infinity' || word === '-Infinity') throw new SyntaxAt(this.pos, `${word} is not a JSON number`);
    throw new SyntaxAt(this.pos, `unexpected ${this.token()}; expected ${VALUE_HINT}`);
  }

  private object(path: string, depth: number): void {
    const open = this.pos++;
    const seen = new Map<string, number>();
    let comma = -1;
    for (;;) {
      this.space();
      const c = this.text[this.pos];
      if (c === '}') {
        if (comma >= 0) throw new SyntaxAt(comma, 'trailing comma before "}": JSON allows no comma after the last field');
        this.pos++;
        return;
      }
      if (c === undefined) throw new SyntaxAt(open, 'this object is never closed (a "}" is missing before the end of the file)');
      if (c === "'") throw new SyntaxAt(this.pos, 'field names must be in double quotes ("name"), not single quotes');
      if (c !== '"') throw new SyntaxAt(this.pos, `expected a field name in double quotes, got ${this.token()}`);
      const keyAt = this.pos;
      const key = this.string();
      const first = seen.get(key);
      if (first !== undefined) this.duplicates.push({ path: joinPath(path, key), first, second: keyAt });
      seen.set(key, keyAt);
      this.space();
      if (this.text[this.pos] !== ':')
        throw new SyntaxAt(this.pos, `expected ":" after the field name ${quoteInput(key)}, got ${this.token()}`);
      this.pos++;
      this.value(joinPath(path, key), depth + 1);
      this.space();
      const after = this.text[this.pos];
      if (after === '}') comma = -1;
      else if (after === ',') comma = this.pos++;
      else if (after === undefined) throw new SyntaxAt(open, 'this object is never closed (a "}" is missing before the end of the file)');
      else throw new SyntaxAt(this.pos, `expected "," or "}" after the value of ${quoteInput(key)}, got ${this.token()}`);
    }
  }

  private array(path: string, depth: number): void {
    const open = this.pos++;
    let comma = -1;
    for (let index = 0; ; index++) {
      this.space();
      const c = this.text[this.pos];
      if (c === ']') {
        if (comma >= 0) throw new SyntaxAt(comma, 'trailing comma before "]": JSON allows no comma after the last item');
        this.pos++;
        return;
      }
      if (c === undefined) throw new SyntaxAt(open, 'this list is never closed (a "]" is missing before the end of the file)');
      this.value(joinPath(path, index), depth + 1);
      this.space();
      const after = this.text[this.pos];
      if (after === ']') comma = -1;
      else if (after === ',') comma = this.pos++;
      else if (after === undefined) throw new SyntaxAt(open, 'this list is never closed (a "]" is missing before the end of the file)');
      else throw new SyntaxAt(this.pos, `expected "," or "]" after a list item, got ${this.token()}`);
    }
  }

  /** Reads a string token starting at its opening quote and returns its value. */
  private string(): string {
    const start = this.pos++;
    for (;;) {
      const c = this.text.charCodeAt(this.pos);
      if (Number.isNaN(c)) throw new SyntaxAt(start, 'this string is never closed (a " is missing)');
      if (c === 0x22) break;
      if (c === 0x0a || c === 0x0d) throw new SyntaxAt(start, 'this string is never closed on its line (a " is missing)');
      if (c < 0x20) throw new SyntaxAt(this.pos, 'a control character (such as a tab) inside a string must be escaped');
      if (c === 0x5c) {
        const e = this.text[this.pos + 1];
        if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos + 2, this.pos + 6))) this.pos += 6;
        else if (e !== undefined && '"\\/bfnrt'.includes(e)) this.pos += 2;
        else throw new SyntaxAt(this.pos, 'invalid escape sequence in a string (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)');
      } else this.pos++;
    }
    this.pos++;
    return JSON.parse(this.text.slice(start, this.pos)) as string;
  }

  private number(): void {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    const end = m ? this.pos + m[0].length : this.pos;
    if (!m || /[0-9A-Za-z.+-]/.test(this.text[end] ?? '')) {
      const word = this.word();
      const hint =
        word === '-Infinity' ? '' : ' (JSON numbers have no leading zeros, "+" sign, or bare "." and are written like -0.5, 3 or 1e-4)';
      throw new SyntaxAt(this.pos, `${word === '-Infinity' ? word : quoteInput(word, 24)} is not a JSON number${hint}`);
    }
    this.pos = end;
  }

  private space(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '/' && (t[this.pos + 1] === '/' || t[this.pos + 1] === '*'))
        throw new SyntaxAt(this.pos, 'comments are not allowed in JSON');
      else return;
    }
  }

  private word(): string {
    WORD.lastIndex = this.pos;
    return WORD.exec(this.text)?.[0] ?? this.text[this.pos] ?? '';
  }

  /** What stands at the current position, for "got ..." in messages. */
  private token(): string {
    if (this.pos >= this.text.length) return 'the end of the file';
    if (this.text[this.pos] === '"') return quoteInput(/^"([^"\n]{0,24})/.exec(this.text.slice(this.pos, this.pos + 25))![1]);
    const w = this.word();
    return quoteInput(w || this.text[this.pos], 24);
  }
}
