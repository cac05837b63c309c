import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Acknowledged alert ids, kept in a file so acknowledgements survive a restart of the room. */
export class AckStore {
  private ids: Set<string> | undefined;

  constructor(private readonly file: string) {}

  async load(): Promise<Set<string>> {
    if (!this.ids) {
      // No file yet: nothing acknowledged.
      const text = await readFile(this.file, 'utf8').catch(() => '[]');
      try {
        this.ids = new Set(JSON.parse(text) as string[]);
      } catch {
        // A damaged file costs the acknowledgements, not the room; the next ack rewrites it.
        this.ids = new Set();
      }
    }
    return this.ids;
  }

  async ack(id: string): Promise<void> {
    const ids = await this.load();
    if (ids.has(id)) return;
    ids.add(id);
    await mkdir(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify([...ids]));
    await rename(tmp, this.file);
  }
}
