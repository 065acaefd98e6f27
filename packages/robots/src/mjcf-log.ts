// Problems and warnings of one MJCF import, each naming the file (includes have their own) and the line.
import type { MjcfElement } from './mjcf-xml.js';

interface Noted {
  file: string;
  line: number;
  text: string;
}

const format = (n: Noted) => `${n.file}: ${n.text} (line ${n.line})`;
const byPlace = (a: Noted, b: Noted) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1);

export class MjcfLog {
  private readonly problemList: Noted[] = [];
  private readonly warningList: Noted[] = [];

  problem(el: Pick<MjcfElement, 'file' | 'line'>, text: string): void {
    this.problemList.push({ file: el.file, line: el.line, text });
  }

  warning(el: Pick<MjcfElement, 'file' | 'line'>, text: string): void {
    this.warningList.push({ file: el.file, line: el.line, text });
  }

  get problems(): string[] {
    return [...this.problemList].sort(byPlace).map(format);
  }

  get warnings(): string[] {
    return [...this.warningList].sort(byPlace).map(format);
  }

  /** `count` numbers from an attribute (defaults already merged in); reported and NaN when missing or bad. */
  numbers(el: MjcfElement, attrs: Record<string, string>, attr: string, count: number, label: string, fallback?: number[]): number[] {
    const raw = attrs[attr];
    if (raw === undefined) {
      if (fallback) return fallback;
      this.problem(el, `${label}: <${el.tag} ${attr}> is missing`);
      return new Array(count).fill(NaN);
    }
    const tokens = raw.trim() === '' ? [] : raw.trim().split(/\s+/);
    const values = tokens.map(Number);
    if (tokens.length !== count || !values.every(Number.isFinite)) {
      this.problem(el, `${label}: <${el.tag} ${attr}> must be ${count === 1 ? 'a finite number' : `${count} finite numbers`} (got '${raw}')`);
      return new Array(count).fill(NaN);
    }
    return values;
  }

  /** Like numbers(), for attributes MuJoCo lets hold fewer values than their full length (size, gear). */
  someNumbers(el: MjcfElement, attrs: Record<string, string>, attr: string, label: string): number[] {
    const raw = attrs[attr];
    if (raw === undefined) return [];
    const values = raw.trim() === '' ? [] : raw.trim().split(/\s+/).map(Number);
    if (!values.every(Number.isFinite)) {
      this.problem(el, `${label}: <${el.tag} ${attr}> must be finite numbers (got '${raw}')`);
      return values.map(() => NaN);
    }
    return values;
  }
}
