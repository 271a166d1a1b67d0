import type { ComponentProps } from 'react';
import type { Components } from 'react-markdown';
import { CopyButton } from '../ui/copy-button.js';

function CodeBlock({ children, ...rest }: ComponentProps<'pre'>) {
  const code = codeText(children);
  const language = /language-(\S+)/.exec(childClass(children) ?? '')?.[1];
  return (
    <div className="code-block">
      <div className="code-head">
        <span>{language ?? 'code'}</span>
        <CopyButton text={code} label="Copy code" />
      </div>
      {/* A scrollable region must be reachable by keyboard. */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: scrollable code must take focus to scroll by keys */}
      <pre {...rest} tabIndex={0}>
        {children}
      </pre>
    </div>
  );
}

function childClass(children: unknown): string | undefined {
  const child = Array.isArray(children) ? children[0] : children;
  return (child as { props?: { className?: string } } | undefined)?.props?.className;
}

function codeText(node: unknown): string {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(codeText).join('');
  const props = (node as { props?: { children?: unknown } } | null)?.props;
  return props ? codeText(props.children) : '';
}

/** How the chat renders markdown's elements: code blocks with a copy button, links in a new tab, wide tables scrolling. */
export const components: Components = {
  pre: CodeBlock,
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer" />,
  table: ({ node: _node, ...props }) => (
    <div className="table-wrap">
      <table {...props} />
    </div>
  ),
};
