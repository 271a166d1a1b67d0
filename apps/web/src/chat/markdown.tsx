import { Fragment, lazy, memo, type ReactNode, Suspense, useRef } from 'react';
import ReactMarkdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { isPlainParagraph, livePieces } from './live-pieces.js';
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

/** A piece of a paragraph renders its words without a paragraph of its own: the pieces share one. */
const inline = { ...components, p: ({ children }: { children?: ReactNode }) => <>{children}</> };

const Piece = memo(function Piece({ text }: { text: string }) {
  return (
    <ReactMarkdown remarkPlugins={[remarkGfm]} components={inline}>
      {text}
    </ReactMarkdown>
  );
});

/** Past this length, a paragraph being written is cut into pieces (live-pieces.ts), each parsed once. */
const PIECE_SIZE = 600;

/**
 * A block of an answer being written. A long plain paragraph is
 * rendered as pieces in one paragraph, so each delta parses only the last
 * piece instead of the whole paragraph again (a 30 KB paragraph took over
 * 100 ms a frame); any other block is parsed whole.
 */
const LiveBlock = memo(function LiveBlock({ text }: { text: string }) {
  if (text.length < PIECE_SIZE * 2 || hasMath(text) || !isPlainParagraph(text)) return <Block text={text} />;
  return (
    <p>
      {livePieces(text, PIECE_SIZE).map((piece, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: pieces only ever grow at the end
        <Fragment key={index}>
          {index > 0 ? ' ' : null}
          <Piece text={piece} />
        </Fragment>
      ))}
    </p>
  );
});

/**
 * Markdown as the model wrote it: GitHub's flavour (tables, task lists,
 * strikethrough) and math, no raw HTML. An answer streamed on this page
 * keeps its blocks after it ends (parsing it whole then would block the
 * page as long as all its deltas did); reloaded, it is parsed whole.
 */
export const Markdown = memo(function Markdown({
  text,
  streaming = false,
}: {
  text: string;
  streaming?: boolean;
}) {
  const streamed = useRef(streaming);
  if (streaming) streamed.current = true;
  if (!streamed.current)
    return (
      <div className="markdown">
        <Block text={text} />
      </div>
    );
  return (
    <div className="markdown">
      {splitBlocks(text).map((block, index) => (
        // A block's place is its identity: earlier blocks never change while the answer grows.
        // The same component for the last block and the others: a block that stops being the last keeps its pieces.
        // biome-ignore lint/suspicious/noArrayIndexKey: the blocks only ever grow at the end
        <LiveBlock key={index} text={block} />
      ))}
    </div>
  );
});
