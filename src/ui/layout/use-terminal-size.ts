import { useStdout } from 'ink';
import { useEffect, useState } from 'react';
import type { Size } from './layout.js';

const FALLBACK: Size = { cols: 80, rows: 24 };

function read(stdout: NodeJS.WriteStream): Size {
  return { cols: stdout.columns || FALLBACK.cols, rows: stdout.rows || FALLBACK.rows };
}

/** Current terminal size, following resizes; `fixed` pins it (tests, embedding). */
export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => fixed ?? read(stdout));
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize(read(stdout));
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}
