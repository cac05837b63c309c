import { useInput, useStdin } from 'ink';
import { useEffect, useRef } from 'react';

const holdRawMode = () => {};

/**
 * The dashboard's only keyboard entry point. An always-active useInput keeps Ink's raw mode and
 * stdin reader on (Ink 6 turns both off when its last active input hook goes away); the actual
 * bytes come from a `data` listener, which sees the exact chunks Ink reads.
 */
export function useInputRouter(route: (chunk: string) => void): void {
  const { stdin } = useStdin();
  useInput(holdRawMode, { isActive: true });
  const routeRef = useRef(route);
  useEffect(() => {
    routeRef.current = route;
  }, [route]);
  useEffect(() => {
    const onData = (data: Buffer | string) =>
      routeRef.current(typeof data === 'string' ? data : data.toString('utf8'));
    stdin.on('data', onData);
    return () => {
      stdin.off('data', onData);
    };
  }, [stdin]);
}
