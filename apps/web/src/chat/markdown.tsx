import { lazy, memo, Suspense } from 'react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { components } from './markdown-components.js';

// KaTeX (with its CSS and fonts, bundled here) loads only for an answer that has math in it.
const MathMarkdown = lazy(() => import('./math-markdown.js'));

/** Whether a text holds math as models write it: $$…$$, \(…\) or \[…\]. */
export const hasMath = (text: string) => /\$\$|\\\(|\\\[/.test(text);

function PlainMarkdown({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={[remarkGfm]} components={components}>
      {text}
    </ReactMarkdown>
  );
}

/** Markdown as the model wrote it: GitHub's flavour (tables, task lists, strikethrough) and math, no raw HTML. */
export const Markdown = memo(function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      {hasMath(text) ? (
        <Suspense fallback={<PlainMarkdown text={text} />}>
          <MathMarkdown text={text} />
        </Suspense>
      ) : (
        <PlainMarkdown text={text} />
      )}
    </div>
  );
});
