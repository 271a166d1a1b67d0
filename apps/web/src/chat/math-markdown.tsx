import 'katex/dist/katex.min.css';
import katex from 'katex';
import { type ComponentProps, type ReactNode, useEffect, useRef } from 'react';
import ReactMarkdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import remarkMath from 'remark-math';
import { components } from './markdown-components.js';

/**
 * Models write \(…\) and \[…\] as often as dollars: each becomes remark-math's
 * $$ form (inline, or a display block on its own lines). A single $ stays text, so that
 * "$5 and $10" is never typeset.
 */
export function normaliseMath(text: string): string {
  return text
    .replace(/\\\[([\s\S]+?)\\\]/g, (_, math: string) => `\n$$\n${math.trim()}\n$$\n`)
    .replace(/\\\(([\s\S]+?)\\\)/g, (_, math: string) => `$$${math.trim()}$$`);
}

/**
 * One formula, typeset by KaTeX into the element as DOM nodes: their styles are
 * set through the CSSOM, which the page's CSP allows (KaTeX's HTML string, with
 * style attributes, it would block).
 */
function Formula({ tex, display }: { tex: string; display: boolean }) {
  const ref = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (ref.current) katex.render(tex, ref.current, { displayMode: display, throwOnError: false });
  }, [tex, display]);
  return <span ref={ref} className={display ? 'math-display' : 'math-inline'} />;
}

const mathClass = (props: { className?: string | undefined }) => props.className?.includes('language-math');

const mathComponents: Components = {
  ...components,
  // remark-math gives display math as <pre><code class="language-math math-display">, inline as <code …math-inline>.
  pre: (props: ComponentProps<'pre'>) => {
    const child = (Array.isArray(props.children) ? props.children[0] : props.children) as
      | { props?: { className?: string; children?: unknown } }
      | undefined;
    if (child?.props && mathClass(child.props))
      return <Formula tex={String(child.props.children ?? '')} display />;
    const Pre = components.pre as (props: ComponentProps<'pre'>) => ReactNode;
    return <Pre {...props} />;
  },
  code: ({ node: _node, ...props }) =>
    mathClass(props) ? <Formula tex={String(props.children ?? '')} display={false} /> : <code {...props} />,
};

/** Markdown with math. */
export default function MathMarkdown({ text }: { text: string }) {
  return (
    <ReactMarkdown
      remarkPlugins={[remarkGfm, [remarkMath, { singleDollarTextMath: false }]]}
      components={mathComponents}
    >
      {normaliseMath(text)}
    </ReactMarkdown>
  );
}
