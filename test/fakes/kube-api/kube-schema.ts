/**
 * Kubernetes structural schema (OpenAPI v3 subset with x-kubernetes-* extensions) → plain JSON Schema
 * for ajv, with unknown fields rejected as under `fieldValidation=Strict`.
 */

type Schema = Record<string, unknown>;

export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

const stringMap = { type: 'object', additionalProperties: { type: 'string' } };

/** ObjectMeta as the API server accepts it; the CRD itself only says `metadata: {type: object}`. */
export const OBJECT_META_SCHEMA: Schema = {
  type: 'object',
  required: ['name'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', maxLength: 253, pattern: DNS1123_SUBDOMAIN.source },
    generateName: { type: 'string' },
    namespace: { type: 'string', maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    labels: stringMap,
    annotations: stringMap,
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: ['string', 'null'] },
    deletionTimestamp: { type: ['string', 'null'] },
    deletionGracePeriodSeconds: { type: 'integer' },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object' } },
    managedFields: { type: 'array', items: { type: 'object' } },
  },
};

function convert(s: Schema): Schema {
  const out: Schema = {};
  for (const [k, v] of Object.entries(s)) {
    if (k.startsWith('x-kubernetes-') || k === 'nullable' || k === 'description' || k === 'example') continue;
    if (k === 'properties') {
      out.properties = Object.fromEntries(
        Object.entries(v as Record<string, Schema>).map(([p, ps]) => [p, convert(ps)]),
      );
    } else if (k === 'items' || k === 'not') {
      out[k] = convert(v as Schema);
    } else if (k === 'additionalProperties') {
      out[k] = typeof v === 'boolean' ? v : convert(v as Schema);
    } else if (k === 'pattern' && typeof v === 'string') {
      out[k] = toJsPattern(v);
    } else if (k === 'allOf' || k === 'anyOf' || k === 'oneOf') {
      out[k] = (v as Schema[]).map(convert);
    } else {
      out[k] = v;
    }
  }
  if (s['x-kubernetes-int-or-string']) {
    delete out.type;
    if (!out.anyOf) out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  const preserve = s['x-kubernetes-preserve-unknown-fields'] === true;
  if (s.type === 'object' && !preserve && s.additionalProperties === undefined)
    out.additionalProperties = false;
  if (s.nullable === true) {
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum)) out.enum = [...out.enum, null];
    if (!out.type && out.anyOf) out.anyOf = [...(out.anyOf as Schema[]), { type: 'null' }];
  }
  return out;
}

/** The CRD version's openAPIV3Schema as a JSON Schema for the whole object (metadata included). */
export function toJsonSchema(openApiV3: Schema): Schema {
  const root = convert(openApiV3);
  const props = { ...((root.properties as Record<string, Schema>) ?? {}) };
  props.metadata = OBJECT_META_SCHEMA;
  // Some CRDs (Istio's) declare only spec/status; the API server accepts apiVersion and kind anyway.
  props.apiVersion ??= { type: 'string' };
  props.kind ??= { type: 'string' };
  return { ...root, type: 'object', properties: props, required: ['apiVersion', 'kind', 'metadata'] };
}

/**
 * The API server checks `pattern` with Go's RE2, which has inline flags: Calico writes
 * `^(?i)(Off|Info|Debug)?$`. JavaScript has none, so a leading `(?i)` becomes `[oO][fF][fF]`-style
 * classes for the letters outside character classes and escapes.
 */
export function toJsPattern(pattern: string): string {
  const m = /^(\^?)\(\?i\)/.exec(pattern);
  if (!m) return pattern;
  const rest = pattern.slice(m[0].length);
  let out = m[1];
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') {
      out += c + (rest[++i] ?? '');
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    const lower = c.toLowerCase();
    const upper = c.toUpperCase();
    out += !inClass && lower !== upper ? `[${lower}${upper}]` : c;
  }
  return out;
}
