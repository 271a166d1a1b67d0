import type { Item, MessageItem, OutputTextPart } from '../api/types.js';
import { CopyButton } from '../ui/copy-button.js';
import { FileLink } from './file-link.js';
import { Markdown } from './markdown.js';

export function messageText(item: Item): string {
  if (item.type !== 'message') return '';
  return item.content
    .map((part) => (part.type === 'refusal' ? '' : part.text))
    .join('')
    .trim();
}

/** A user's message as a bubble; an answer as markdown, with its refusals and citations. */
export function MessageView({ item, streaming = false }: { item: MessageItem; streaming?: boolean }) {
  if (item.role === 'user') return <UserMessage text={messageText(item)} />;
  if (item.role !== 'assistant') return null;
  const text = messageText(item);
  const refusals = item.content.flatMap((part) => (part.type === 'refusal' ? [part.refusal] : []));
  const annotations = item.content.flatMap((part) =>
    part.type === 'output_text' ? (part as OutputTextPart).annotations : [],
  );
  return (
    <article className="answer" aria-busy={streaming} data-testid="answer">
      {text ? <Markdown text={text} streaming={streaming} /> : null}
      {streaming ? <span className="cursor" aria-hidden="true" /> : null}
      {refusals.map((refusal) => (
        <p key={refusal} className="refusal" role="note">
          <strong>Refused:</strong> {refusal}
        </p>
      ))}
      {annotations.length > 0 ? <Citations annotations={annotations} /> : null}
      {text && !streaming ? (
        <div className="answer-tools">
          <CopyButton text={text} />
        </div>
      ) : null}
    </article>
  );
}

export function UserMessage({ text }: { text: string }) {
  return (
    <div className="user-message" data-testid="user-message">
      <p>{text}</p>
    </div>
  );
}

function Citations({ annotations }: { annotations: OutputTextPart['annotations'] }) {
  const seen = new Set<string>();
  const links = annotations.flatMap((annotation) => {
    if (annotation.type === 'url_citation' && typeof annotation.url === 'string') {
      if (seen.has(annotation.url)) return [];
      seen.add(annotation.url);
      return [
        <li key={annotation.url}>
          <a href={annotation.url} target="_blank" rel="noopener noreferrer">
            {String(annotation.title || annotation.url)}
          </a>
        </li>,
      ];
    }
    if (annotation.type === 'file_citation' && typeof annotation.file_id === 'string') {
      const key = `${annotation.file_id}:${String(annotation.chunk_index ?? '')}`;
      if (seen.has(key)) return [];
      seen.add(key);
      return [
        <li key={key}>
          <FileLink fileId={annotation.file_id} name={String(annotation.filename ?? annotation.file_id)} />
        </li>,
      ];
    }
    return [];
  });
  if (links.length === 0) return null;
  return (
    <nav className="citations" aria-label="Sources">
      <span className="muted">Sources</span>
      <ol>{links}</ol>
    </nav>
  );
}
