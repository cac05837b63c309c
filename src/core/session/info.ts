import { SavedSessions, type SavedSession } from './saved-sessions.js';
import { CoiError } from '../../shared/errors.js';

export class SessionInfoError extends CoiError {}

/**
 * A saved session by id, or (no id) the newest one of the workspace. Read only: the files under
 * `~/.coi/sessions-<tool>/` belong to the session commands.
 */
export async function findSavedSession(
  coiDir: string,
  workspace: string,
  id?: string,
): Promise<SavedSession> {
  const sessions = new SavedSessions(coiDir);
  if (id) {
    const found = await sessions.find(id);
    if (!found)
      throw new SessionInfoError(
        `no saved session "${id}" (\`coi list --all\` shows the saved sessions)`,
      );
    return found;
  }
  const [newest] = await sessions.list({ workspace });
  if (!newest)
    throw new SessionInfoError(
      `workspace ${workspace} has no saved session; give an id (\`coi list --all\` shows them)`,
    );
  return newest;
}
