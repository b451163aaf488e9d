import { buildObject, fieldOfPath, fieldsOf, parseField, toText } from './schema-form';

const schema = {
  type: 'object',
  required: ['chatModel'],
  properties: {
    chatModel: { type: 'string', minLength: 1, description: 'the model' },
    threads: { type: 'integer', minimum: 1, maximum: 64 },
    temperature: { type: 'number' },
    verbose: { type: 'boolean' },
    mode: { enum: ['fast', 'slow'] },
    extra: { type: 'object' },
  },
};

describe('schema form', () => {
  it('makes one typed field per property', () => {
    const fields = fieldsOf(schema);
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['chatModel', 'string', true],
      ['threads', 'integer', false],
      ['temperature', 'number', false],
      ['verbose', 'boolean', false],
      ['mode', 'enum', false],
      ['extra', 'json', false],
    ]);
    expect(fields[4].options).toEqual(['fast', 'slow']);
    expect(fieldsOf(null)).toEqual([]);
  });

  it('parses and checks values as the schema says', () => {
    const [model, threads] = fieldsOf(schema);
    expect(parseField(threads, '8')).toEqual({ ok: true, value: 8 });
    expect(parseField(threads, '0')).toEqual({ ok: false, error: 'must be at least 1' });
    expect(parseField(threads, '1.5')).toEqual({ ok: false, error: 'must be a whole number' });
    expect(parseField(threads, 'x')).toEqual({ ok: false, error: 'not a number' });
    expect(parseField(threads, '')).toEqual({ ok: true, value: undefined });
    expect(parseField(model, '')).toEqual({ ok: false, error: 'required' });
  });

  it('builds the object, keeps unknown properties and reports errors by pointer', () => {
    const fields = fieldsOf(schema);
    const { value, errors } = buildObject(
      fields,
      { chatModel: 'm', threads: '4', verbose: true, mode: 'fast', extra: '{"a":1}', temperature: '' },
      { other: 'kept', temperature: 0.5 },
    );
    expect(value).toEqual({ chatModel: 'm', threads: 4, verbose: true, mode: 'fast', extra: { a: 1 }, other: 'kept' });
    expect(errors.size).toBe(0);
    const bad = buildObject(fields, { chatModel: 'm', threads: '100', extra: '{' });
    expect([...bad.errors]).toEqual([
      ['/threads', 'must be at most 64'],
      ['/extra', 'not valid JSON'],
    ]);
  });

  it('shows values and maps daemon paths to fields', () => {
    const fields = fieldsOf(schema);
    expect(toText(fields[5], { a: 1 })).toBe('{\n  "a": 1\n}');
    expect(toText(fields[1], undefined)).toBe('');
    expect(fieldOfPath('/threads')).toBe('threads');
    expect(fieldOfPath('/extra/a/0')).toBe('extra');
    expect(fieldOfPath('')).toBe('');
  });
});
