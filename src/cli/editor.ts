import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Editor } from '../core/profile/edit.js';

/**
 * The user's editor: $VISUAL, else $EDITOR, else vi, run through sh so that values with
 * arguments (`code --wait`) work, on this terminal.
 */
export function userEditor(env: NodeJS.ProcessEnv = process.env): Editor {
  const name = env.VISUAL || env.EDITOR || 'vi';
  return {
    name,
    run: (file) =>
      new Promise((resolve, reject) => {
        const child = spawn('sh', ['-c', `${name} "$1"`, 'sh', file], { stdio: 'inherit' });
        child.once('error', reject);
        child.once('close', (code, signal) =>
          resolve(code ?? 128 + (signal ? constants.signals[signal] : 0)),
        );
      }),
  };
}
