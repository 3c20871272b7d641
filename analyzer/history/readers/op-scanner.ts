/**
 * Reads EDN op maps straight into op fields, the hot loop of reading a `history.edn`.
 *
 * A history is millions of maps with the same handful of keys (`:index :time :type :process :f
 * :value`, then `:error` and extras), so the keys are recognised by their bytes where they lie
 * in the buffer, never interned as keywords or collected into arrays, and each value goes
 * straight into its field. The keys may come in any order (Jepsen's `prn` writes the order
 * above; other tools do not), a key may not repeat (an error, as in Clojure's reader), and any
 * other key, keyword or not, is read as EDN and kept in `extraK`/`extraV`. The values themselves are read by the
 * general scanner, which has fast paths for the integers, keywords and short vectors ops hold.
 */
import { INCOMPLETE, utf8 } from '../../edn/bytes.js';
import { CLASS } from '../../edn/atoms.js';
import { printEdn } from '../../edn/print.js';
import { EdnScanner } from '../../edn/scanner.js';
import { firstDuplicate } from '../../edn/distinct.js';
import { type EdnValue, kw } from '../../edn/values.js';

const OTHER = 0;
const INDEX = 1;
const TIME = 2;
const TYPE = 3;
const PROCESS = 4;
const F = 5;
const VALUE = 6;
const ERROR = 7;
const FIELD_NAMES = ['', 'index', 'time', 'type', 'process', 'f', 'value', 'error'];
const FIELD_BYTES = FIELD_NAMES.map((n) => Buffer.from(n, 'latin1'));

/** Which op field the keyword name in bytes [s, s + len) is, or OTHER. */
function fieldAt(buf: Uint8Array, s: number, len: number): number {
  let f = OTHER;
  switch (len) {
    case 1:
      return buf[s] === 102 ? F : OTHER;
    case 4:
      f = buf[s + 1] === 105 ? TIME : TYPE;
      break;
    case 5:
      f = buf[s] === 105 ? INDEX : buf[s] === 118 ? VALUE : ERROR;
      break;
    case 7:
      f = PROCESS;
      break;
    default:
      return OTHER;
  }
  const name = FIELD_BYTES[f];
  for (let i = 0; i < len; i++) if (buf[s + i] !== name[i]) return OTHER;
  return f;
}

/** One op as read; `undefined` for a key the map did not have. */
export interface OpFields {
  index: EdnValue | undefined;
  time: EdnValue | undefined;
  type: EdnValue | undefined;
  process: EdnValue | undefined;
  f: EdnValue | undefined;
  value: EdnValue;
  error: EdnValue | undefined;
  /** Other keys and their values, in read order; undefined when there were none. */
  extraK: EdnValue[] | undefined;
  extraV: EdnValue[] | undefined;
}

/**
 * An `EdnScanner` that also reads op maps straight into its own fields (`readOp`), so that
 * reading an op allocates nothing for its standard keys. The fields hold the last op read.
 */
export class OpScanner extends EdnScanner implements OpFields {
  index: EdnValue | undefined = undefined;
  time: EdnValue | undefined = undefined;
  type: EdnValue | undefined = undefined;
  process: EdnValue | undefined = undefined;
  f: EdnValue | undefined = undefined;
  value: EdnValue = null;
  error: EdnValue | undefined = undefined;
  extraK: EdnValue[] | undefined = undefined;
  extraV: EdnValue[] | undefined = undefined;

  /**
   * Reads the op map (or `#jepsen.history.Op{…}`) after any whitespace into the fields and
   * returns true, or returns false, with `pos` at the next value, if that is not a map.
   */
  readOp(): boolean {
    this.skipWs();
    const buf = this.buf;
    const end = this.end;
    let p = this.pos;
    const mapStart = p;
    if (p >= end) this.more(p, 'a value');
    if (buf[p] === 35) {
      const tagEnd = this.tokenEnd(p + 1);
      if (utf8(buf, p + 1, tagEnd, true) !== 'jepsen.history.Op') return false;
      this.pos = tagEnd;
      this.skipWs();
      p = this.pos;
      if (p >= end) this.more(p, 'a #jepsen.history.Op');
    }
    if (buf[p] !== 123) return false;
    this.index = this.time = this.type = this.process = this.f = this.error = undefined;
    this.value = null;
    this.extraK = this.extraV = undefined;
    let seen = 0; // the op fields met so far, as bits
    p++;
    for (;;) {
      while (p < end && CLASS[buf[p]] === 1) p++;
      if (p >= end) {
        this.pos = p;
        this.more(mapStart, 'a map');
      }
      let c = buf[p];
      if (c === 59 || c === 35) {
        // a comment or #_ discard (skipWs leaves any other # form alone)
        this.pos = p;
        this.skipWs();
        if (this.pos !== p) {
          p = this.pos;
          continue;
        }
      }
      if (c === 125) {
        if (this.extraK !== undefined && this.extraK.length > 1) {
          const d = firstDuplicate(this.extraK);
          if (d >= 0) this.fail(mapStart, `duplicate key ${printEdn(this.extraK[d]!)} in a map`);
        }
        this.pos = p + 1;
        return true;
      }
      const keyAt = p;
      let field = OTHER;
      let key: EdnValue = null;
      if (c === 58) {
        const s = p + 1;
        let q = s;
        while (q < end && CLASS[buf[q]] === 0) q++;
        if (q >= end && !this.eof) throw INCOMPLETE;
        field = fieldAt(buf, s, q - s);
        if (field !== OTHER) p = q;
      }
      if (field === OTHER) {
        this.pos = p;
        key = c === 58 ? this.readKeyword() : this.readHere();
        p = this.pos;
      }
      while (p < end && CLASS[buf[p]] === 1) p++;
      this.pos = p;
      if (p >= end || (c = buf[p]) === 59 || c === 35) {
        this.skipWs();
        p = this.pos;
      }
      if (p < end && buf[p] === 125) {
        this.fail(p, `map has a key with no value (${printEdn(field === OTHER ? key : kw(FIELD_NAMES[field]))})`);
      }
      let v: EdnValue;
      c = buf[p];
      if (c >= 48 && c <= 57 && field !== OTHER && field !== VALUE) {
        // :index, :time, :process: a non-negative integer of up to 15 digits, inline
        let q = p + 1;
        let x = c - 48;
        while (q < end) {
          const d = buf[q] - 48;
          if (d < 0 || d > 9) break;
          x = x * 10 + d;
          q++;
        }
        if (q < end && CLASS[buf[q]] !== 0 && q - p <= 15) {
          v = x;
          p = q;
        } else {
          v = this.readValueHere();
          p = this.pos;
        }
      } else {
        v = this.readValueHere();
        p = this.pos;
      }
      if (field !== OTHER) {
        if ((seen & (1 << field)) !== 0) this.fail(keyAt, `duplicate key :${FIELD_NAMES[field]} in a map`);
        seen |= 1 << field;
      }
      switch (field) {
        case INDEX: this.index = v; break;
        case TIME: this.time = v; break;
        case TYPE: this.type = v; break;
        case PROCESS: this.process = v; break;
        case F: this.f = v; break;
        case VALUE: this.value = v; break;
        case ERROR: this.error = v; break;
        default:
          if (this.extraK === undefined) {
            this.extraK = [key];
            this.extraV = [v];
          } else {
            this.extraK.push(key);
            this.extraV!.push(v);
          }
      }
    }
  }
}
