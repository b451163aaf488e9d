// A form model generated from a JSON schema (the subset plugin configs and capability inputs
// use): one field per property, typed from `type`/`enum`, with the schema's own limits shown
// and checked in the browser; the daemon's validation stays the authority and its errors are
// mapped back onto the fields by JSON pointer.

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'json';

export interface Field {
  /** Property name, also the last JSON pointer segment (`/name`). */
  name: string;
  kind: FieldKind;
  label: string;
  description?: string;
  required: boolean;
  options?: string[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

function asSchema(v: unknown): JsonSchema {
  return typeof v === 'object' && v !== null ? (v as JsonSchema) : {};
}

function kindOf(s: JsonSchema): FieldKind {
  if (Array.isArray(s.enum) && s.enum.every((e) => typeof e === 'string')) return 'enum';
  const t = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (t) {
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
      return t;
    default:
      return 'json';
  }
}

/** The fields of an object schema, in the schema's order. */
export function fieldsOf(schema: unknown): Field[] {
  const s = asSchema(schema);
  const required = new Set(s.required ?? []);
  return Object.entries(s.properties ?? {}).map(([name, raw]) => {
    const p = asSchema(raw);
    const kind = kindOf(p);
    return {
      name,
      kind,
      label: p.title ?? name,
      description: p.description,
      required: required.has(name),
      options: kind === 'enum' ? (p.enum as string[]) : undefined,
      minimum: p.minimum,
      maximum: p.maximum,
      minLength: p.minLength,
      maxLength: p.maxLength,
    };
  });
}

/** What a form control shows for a value. */
export function toText(field: Field, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (field.kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

/** Reads a control's text as the field's type; empty optional fields are left out (`undefined`). */
export function parseField(field: Field, text: string | boolean): Parsed {
  if (field.kind === 'boolean') return { ok: true, value: Boolean(text) };
  const t = String(text);
  if (t.trim() === '') {
    return field.required ? { ok: false, error: 'required' } : { ok: true, value: undefined };
  }
  switch (field.kind) {
    case 'integer':
    case 'number': {
      const n = Number(t);
      if (!Number.isFinite(n)) return { ok: false, error: 'not a number' };
      if (field.kind === 'integer' && !Number.isInteger(n)) return { ok: false, error: 'must be a whole number' };
      if (field.minimum !== undefined && n < field.minimum) return { ok: false, error: `must be at least ${field.minimum}` };
      if (field.maximum !== undefined && n > field.maximum) return { ok: false, error: `must be at most ${field.maximum}` };
      return { ok: true, value: n };
    }
    case 'json':
      try {
        return { ok: true, value: JSON.parse(t) };
      } catch {
        return { ok: false, error: 'not valid JSON' };
      }
    default:
      if (field.minLength !== undefined && t.length < field.minLength) {
        return { ok: false, error: `must be at least ${field.minLength} characters` };
      }
      if (field.maxLength !== undefined && t.length > field.maxLength) {
        return { ok: false, error: `must be at most ${field.maxLength} characters` };
      }
      return { ok: true, value: t };
  }
}

/**
 * Builds the object from the controls' texts. Properties the form does not know (no field) are
 * kept from `base`, so a schema without `properties` loses nothing.
 */
export function buildObject(
  fields: Field[],
  texts: Record<string, string | boolean>,
  base: Record<string, unknown> = {},
): { value: Record<string, unknown>; errors: Map<string, string> } {
  const value: Record<string, unknown> = { ...base };
  const errors = new Map<string, string>();
  for (const f of fields) {
    const parsed = parseField(f, texts[f.name] ?? '');
    if (!parsed.ok) errors.set(`/${f.name}`, parsed.error);
    else if (parsed.value === undefined) delete value[f.name];
    else value[f.name] = parsed.value;
  }
  return { value, errors };
}

/** The field a daemon error path (`/threads`, `/a/0/b`, `` for the whole object) belongs to. */
export function fieldOfPath(path: string): string {
  return path.split('/').filter(Boolean)[0] ?? '';
}
