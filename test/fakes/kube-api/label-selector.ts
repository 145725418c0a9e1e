/** Kubernetes label selectors (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`). */

type Labels = Record<string, string> | undefined;
export type LabelPredicate = (labels: Labels) => boolean;

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms.map((t) => t.trim()).filter(Boolean);
}

function parseTerm(term: string): LabelPredicate {
  let m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(term);
  if (m) {
    const [, key, op, value] = m;
    return op === '!=' ? (l) => l?.[key] !== value : (l) => l?.[key] === value;
  }
  m = /^([\w./-]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
  if (m) {
    const [, key, op, list] = m;
    const values = new Set(list.split(',').map((v) => v.trim()));
    return op === 'in'
      ? (l) => l?.[key] !== undefined && values.has(l[key])
      : (l) => l?.[key] === undefined || !values.has(l[key]);
  }
  m = /^(!?)([\w./-]+)$/.exec(term);
  if (m) {
    const [, not, key] = m;
    return not ? (l) => l?.[key] === undefined : (l) => l?.[key] !== undefined;
  }
  throw new Error(`unable to parse requirement: ${term}`);
}

/** Throws on a malformed selector (the server answers 400). */
export function parseLabelSelector(selector: string | undefined): LabelPredicate {
  if (!selector) return () => true;
  const preds = splitTerms(selector).map(parseTerm);
  return (labels) => preds.every((p) => p(labels));
}
