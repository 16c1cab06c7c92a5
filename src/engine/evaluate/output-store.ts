import { SpilledText } from '../files/spilled-text.js';

/**
 * Where a run keeps the outputs it reads again after scoring (keepsOutput: each case's first
 * sample's, and errored ones'): in memory up to `memoryChars` characters, the rest appended to
 * a temporary file (SpilledText) and read back by byte offset when the comparison and the report
 * read them. They are the part of a run that grows with the dataset and with how much the
 * model says: 55 MB at 500,000 short answers, ten times that for answers of a paragraph.
 */
export class OutputStore {
  private held = 0;
  private file?: SpilledText;
  /** No temporary file could be written: every output stays in memory. */
  private inMemoryOnly = false;

  /**
   * `memoryChars`: what stays in memory, 8 MiB by default: a run of tens of thousands of short
   * answers never writes, and a larger one holds no more than that.
   */
  constructor(private readonly memoryChars = 8 * 1024 * 1024) {}

  /** Keeps `text`: undefined when its holder keeps it in memory, else its byte offsets in the file. */
  put(text: string): [start: number, end: number] | undefined {
    if (!this.inMemoryOnly && this.held + text.length > this.memoryChars) {
      this.file ??= SpilledText.create();
      try {
        if (this.file) return this.file.append(text);
      } catch {
        // A full disk: what was written stays readable, the rest stays in memory.
      }
      this.inMemoryOnly = true;
    }
    this.held += text.length;
    return undefined;
  }

  read(start: number, end: number): string {
    return this.file!.slice(start, end);
  }
}
