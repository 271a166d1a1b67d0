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

/**
 * Splits markdown at blank lines outside code fences. While an answer streams,
 * each finished block is parsed once (memoised) and only the last one again on
 * each delta; the finished answer is parsed whole.
 */
export function splitBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  for (const line of text.split('\n')) {
    const marker = /^\s*(```+|~~~+)/.exec(line)?.[1];
    if (marker && (fence === null || marker.startsWith(fence))) fence = fence === null ? marker : null;
    if (line.trim() === '' && fence === null && current.length > 0) {
      blocks.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length > 0) blocks.push(current.join('\n'));
  return blocks;
}

const Block = memo(function Block({ text }: { text: string }) {
  return hasMath(text) ? (
    <Suspense fallback={<PlainMarkdown text={text} />}>
      <MathMarkdown text={text} />
    </Suspense>
  ) : (
    <PlainMarkdown text={text} />
  );
});

/** Markdown as the model wrote it: GitHub's flavour (tables, task lists, strikethrough) and math, no raw HTML. */
export const Markdown = memo(function Markdown({
  text,
  streaming = false,
}: {
  text: string;
  streaming?: boolean;
}) {
  return (
    <div className="markdown">
      {streaming ? (
        splitBlocks(text).map((block, index) => (
          // A block's place is its identity: earlier blocks never change while the answer grows.
          // biome-ignore lint/suspicious/noArrayIndexKey: the blocks only ever grow at the end
          <Block key={index} text={block} />
        ))
      ) : (
        <Block text={text} />
      )}
    </div>
  );
});
