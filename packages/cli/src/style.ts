/** Colour and the spinner only on a terminal, never with NO_COLOR set (https://no-color.org). */
export interface Stream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Style {
  dim(text: string): string;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  cyan(text: string): string;
  yellow(text: string): string;
}

export function createStyle(stream: Stream, env: Record<string, string | undefined>): Style {
  const on = stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb';
  const wrap = (open: number, close: number) => (text: string) =>
    on ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    dim: wrap(2, 22),
    bold: wrap(1, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    cyan: wrap(36, 39),
    yellow: wrap(33, 39),
  };
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A one-line spinner on a terminal; nothing at all elsewhere. */
export class Spinner {
  private timer: NodeJS.Timeout | undefined;
  private frame = 0;
  constructor(private readonly stream: Stream) {}

  start(label: string): void {
    if (this.stream.isTTY !== true || this.timer) return;
    const draw = () => {
      this.stream.write(`\r${FRAMES[this.frame++ % FRAMES.length]} ${label}`);
    };
    draw();
    this.timer = setInterval(draw, 80);
    this.timer.unref();
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.stream.write('\r\u001b[2K');
  }
}
