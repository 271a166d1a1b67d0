import { useId, useState } from 'react';
import { type JsonSchema, unwrapNullable } from './json-schema.js';

/**
 * A form generated from a JSON Schema: objects as fieldsets, enums as
 * selects, strings, numbers and booleans as inputs (with the schema's bounds
 * as the browser's own checks), lists of strings one per line, and anything
 * else (unions, free-form objects) as JSON text checked as it is typed.
 * Small on purpose: the agent schemas need no more, and it costs a few KB.
 */
export interface FieldProps {
  name: string;
  label: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (value: unknown) => void;
  /** A JSON field holds text that does not parse (the form must not be sent). */
  onValidity: (name: string, valid: boolean) => void;
}

export function SchemaField(props: FieldProps) {
  const { schema: raw } = props;
  const { schema, nullable } = unwrapNullable(raw);
  const type = Array.isArray(schema.type) ? undefined : schema.type;
  if (schema.enum) return <EnumField {...props} schema={schema} />;
  if (type === 'object' && schema.properties) return <ObjectField {...props} schema={schema} />;
  if (type === 'string') return <TextField {...props} schema={schema} nullable={nullable} />;
  if (type === 'number' || type === 'integer') return <NumberField {...props} schema={schema} />;
  if (type === 'boolean') return <BooleanField {...props} schema={schema} />;
  if (type === 'array' && schema.items?.type === 'string') return <LinesField {...props} schema={schema} />;
  return <JsonField {...props} />;
}

function Help({ id, schema }: { id: string; schema: JsonSchema }) {
  return schema.description ? (
    <p id={`${id}-help`} className="muted field-help">
      {schema.description}
    </p>
  ) : null;
}

function ObjectField({ name, label, schema, value, onChange, onValidity }: FieldProps) {
  const current = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  return (
    <fieldset className="schema-object">
      <legend>{label}</legend>
      {Object.entries(schema.properties ?? {}).map(([key, child]) => (
        <SchemaField
          key={key}
          name={`${name}.${key}`}
          label={key}
          schema={child}
          value={current[key]}
          onValidity={onValidity}
          onChange={(next) => {
            const copy = { ...current };
            if (next === undefined) delete copy[key];
            else copy[key] = next;
            onChange(copy);
          }}
        />
      ))}
    </fieldset>
  );
}

function EnumField({ label, schema, value, onChange }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value === undefined ? '' : String(value)}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value)}
      >
        <option value="">(unset)</option>
        {(schema.enum ?? []).map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
      <Help id={id} schema={schema} />
    </div>
  );
}

function TextField({ label, schema, value, onChange, nullable }: FieldProps & { nullable: boolean }) {
  const id = useId();
  const text = typeof value === 'string' ? value : '';
  const common = {
    id,
    value: text,
    maxLength: schema.maxLength,
    'aria-describedby': schema.description ? `${id}-help` : undefined,
    onChange: (event: { target: { value: string } }) =>
      onChange(event.target.value === '' ? (nullable ? null : undefined) : event.target.value),
  };
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {(schema.maxLength ?? 0) > 2000 ? (
        <textarea rows={6} {...common} />
      ) : (
        <input {...common} pattern={schema.pattern} />
      )}
      <Help id={id} schema={schema} />
    </div>
  );
}

function NumberField({ label, schema, value, onChange }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={schema.minimum}
        max={schema.maximum}
        step={schema.type === 'integer' ? 1 : 'any'}
        value={typeof value === 'number' ? value : ''}
        onChange={(event) => onChange(event.target.value === '' ? undefined : Number(event.target.value))}
      />
      <Help id={id} schema={schema} />
    </div>
  );
}

function BooleanField({ label, schema, value, onChange }: FieldProps) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        value={value === undefined ? '' : String(value)}
        onChange={(event) => onChange(event.target.value === '' ? undefined : event.target.value === 'true')}
      >
        <option value="">(unset)</option>
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
      <Help id={id} schema={schema} />
    </div>
  );
}

function LinesField({ label, schema, value, onChange }: FieldProps) {
  const id = useId();
  const lines = Array.isArray(value) ? value.join('\n') : '';
  return (
    <div className="field">
      <label htmlFor={id}>{label} (one per line)</label>
      <textarea
        id={id}
        rows={2}
        value={lines}
        onChange={(event) => {
          const list = event.target.value.split('\n');
          onChange(list.length === 1 && list[0] === '' ? undefined : list);
        }}
      />
      <Help id={id} schema={schema} />
    </div>
  );
}

function JsonField({ name, label, schema, value, onChange, onValidity }: FieldProps) {
  const id = useId();
  const [text, setText] = useState(() => (value === undefined ? '' : JSON.stringify(value, null, 2)));
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <div className="field">
      <label htmlFor={id}>{label} (JSON)</label>
      <textarea
        id={id}
        className="code"
        rows={Math.min(10, Math.max(2, text.split('\n').length))}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? `${id}-problem` : undefined}
        onChange={(event) => {
          setText(event.target.value);
          try {
            onChange(event.target.value.trim() === '' ? undefined : JSON.parse(event.target.value));
            setProblem(null);
            onValidity(name, true);
          } catch (error) {
            setProblem((error as Error).message);
            onValidity(name, false);
          }
        }}
      />
      {problem ? (
        <p id={`${id}-problem`} className="error">
          Not JSON: {problem}
        </p>
      ) : null}
      <Help id={id} schema={schema} />
    </div>
  );
}
