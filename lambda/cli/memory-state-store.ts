/**
 * The finding state of one CLI run without --state-table: starts empty, so every finding at or above
 * the notify threshold is new and published once; nothing outlives the process.
 */
import type { FindingState, FindingStateStore } from '../notify/finding-state';

export class MemoryStateStore implements FindingStateStore {
  private readonly states = new Map<string, FindingState>();

  async get(findingIds: readonly string[]): Promise<Map<string, FindingState>> {
    const found = new Map<string, FindingState>();
    for (const id of findingIds) {
      const state = this.states.get(id);
      if (state) found.set(id, state);
    }
    return found;
  }

  async listOpen(): Promise<FindingState[]> {
    return [...this.states.values()].filter((state) => state.open);
  }

  async put(states: readonly FindingState[]): Promise<void> {
    for (const state of states) this.states.set(state.findingId, state);
  }

  async remove(findingIds: readonly string[]): Promise<void> {
    for (const id of findingIds) this.states.delete(id);
  }
}
