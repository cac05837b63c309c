import { Box, Text } from 'ink';
import { sanitize } from '../format/text-width.js';
import { MODE_STACKS } from '../keys/key-matchers.js';
import type { Rect } from '../layout/layout.js';
import type { ConfirmState } from '../state/ui-types.js';
import { Line } from './Line.js';
import { modeHints } from './mode-hints.js';

interface ConfirmDialogProps {
  rect: Rect;
  confirm: ConfirmState;
}

/** Modal confirmation. Cancel has focus first, so a stray Enter does nothing harmful. */
export function ConfirmDialog({ rect, confirm }: ConfirmDialogProps) {
  const { request, focused, typed } = confirm;
  const width = Math.min(72, rect.width);
  const inner = width - 4;
  return (
    <Box width={rect.width} height={rect.height} flexDirection="column" overflowY="hidden">
      <Box flexDirection="column" width={width} borderStyle="round" borderColor="red" paddingX={1}>
        <Line
          segments={[{ text: sanitize(request.title), bold: true, color: 'red' }]}
          width={inner}
        />
        {request.lines.map((line, i) => (
          <Line key={i} segments={[{ text: sanitize(line) }]} width={inner} />
        ))}
        {request.typeToConfirm !== undefined ? (
          <Line
            segments={[
              { text: '> ', color: 'cyan' },
              { text: typed },
              { text: '█', color: 'cyan' },
            ]}
            width={inner}
          />
        ) : (
          <Box height={1}>
            <Text inverse={focused === 'cancel'}> Cancel </Text>
            <Text> </Text>
            <Text inverse={focused === 'confirm'} color="red">
              {` ${request.confirmLabel} `}
            </Text>
          </Box>
        )}
        <Line
          segments={[
            {
              text: modeHints(
                request.typeToConfirm !== undefined
                  ? MODE_STACKS.typedDialog
                  : MODE_STACKS.buttonDialog,
              ),
              dim: true,
            },
          ]}
          width={inner}
        />
      </Box>
    </Box>
  );
}
