import { describe, expect, it } from 'vitest';
import { TemplateExecutor } from './support/go-template/execute.js';
import { parseTemplate } from './support/go-template/parse.js';

/** Renders `source` with `data` as dot, the way Helm's text/template would (outputs as Go prints them). */
function render(source: string, data: unknown = {}): string {
  const parsed = parseTemplate(source, 'test');
  const defines = new Map(parsed.defines);
  defines.set('test', parsed.body);
  return new TemplateExecutor(defines).include('test', data);
}

describe('the Go template subset the deploy test renders the Helm chart with', () => {
  it('trims white space at {{- and -}}, drops comments, prints nil as nothing', () => {
    expect(render('a  \n {{- "b" -}} \n  c')).toBe('abc');
    expect(render('a {{/* note */}} b {{- /* note */}} c')).toBe('a  b c');
    expect(render('[{{ .missing }}]', {})).toBe('[]');
    expect(() => render('{{ .missing.field }}', {})).toThrow(/nil pointer evaluating interface \{\}\.field/);
  });

  it('prints YAML numbers as float64 (1e+06) and integers from int, add and div as int64', () => {
    const data = { big: 1_000_000, small: 25_000, ms: 25_500 };
    expect(render('{{ .big }} {{ .small }} {{ .big | quote }}', data)).toBe('1e+06 25000 "1e+06"');
    expect(render('{{ .big | int }} {{ add (div .ms 1000) 10 }} {{ .big | int | quote }}', data)).toBe(
      '1000000 35 "1000000"',
    );
    expect(() => render('{{ eq .small 25000 }}', data)).toThrow(/incompatible types/);
  });

  it('branches with if / else if / else, with (which moves dot) and range (maps in key order)', () => {
    const tpl = '{{ if eq .kind "a" }}A{{ else if eq .kind "b" }}B{{ else }}?{{ end }}';
    expect(['a', 'b', 'c'].map((kind) => render(tpl, { kind }))).toEqual(['A', 'B', '?']);
    expect(render('{{ with .x }}{{ .y }}{{ else }}none{{ end }}', { x: { y: 'in' } })).toBe('in');
    expect(render('{{ with .x }}{{ .y }}{{ else }}none{{ end }}', { x: {} })).toBe('none');
    expect(render('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: '2', a: '1' } })).toBe(
      'a=1;b=2;',
    );
    expect(
      render('{{ range .l }}[{{ . }}|{{ $.t }}]{{ else }}empty{{ end }}', { l: ['x', 'y'], t: 'T' }),
    ).toBe('[x|T][y|T]');
    expect(render('{{ range .l }}x{{ else }}empty{{ end }}', { l: [] })).toBe('empty');
  });

  it('defines and includes templates, pipes into the last argument, scopes variables', () => {
    const tpl =
      '{{- define "name" -}}{{ .n | default "agentd" }}{{- end -}}{{ include "name" . | printf "%s-api" }}';
    expect(render(tpl, { n: '' })).toBe('agentd-api');
    expect(render('{{ $a := "x" }}{{ if true }}{{ $a = "y" }}{{ $b := "z" }}{{ end }}{{ $a }}', {})).toBe(
      'y',
    );
    expect(() => render('{{ if true }}{{ $b := "z" }}{{ end }}{{ $b }}', {})).toThrow(
      /undefined variable \$b/,
    );
    // or stops at the first true argument, so the nil field after it is never evaluated.
    expect(render('{{ or .a .b.c }}', { a: 'set' })).toBe('set');
  });

  it('renders toYaml | nindent as Helm does, and refuses what it does not know', () => {
    const data = { r: { requests: { memory: '1Gi', cpu: '1' } } };
    expect(render('resources:{{ toYaml .r | nindent 2 }}', data)).toBe(
      'resources:\n  requests:\n    cpu: "1"\n    memory: 1Gi',
    );
    expect(() => render('{{ .r }}', data)).toThrow(/printing a map; use toYaml/);
    expect(() => render('{{ lookup "v1" "Secret" "ns" "x" }}')).toThrow(/function "lookup" not defined/);
    expect(() => render('{{ required "give x" .x }}', {})).toThrow(/give x/);
    expect(() => render('{{ if .x }}open')).toThrow(/not closed/);
  });
});
