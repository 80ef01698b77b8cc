/** Reading `auditedPath` in tests: the path of an inventory's first stage, its components of a kind, their codes. */
import type { Inventory, PathHop } from '../../../lambda/domain/types';
import { auditedPath } from '../../../lambda/path/components';

export const pathOf = (inventory: Inventory): PathHop[] => {
  const [stage] = inventory.stages;
  if (!stage) throw new Error('no stage');
  return auditedPath(stage, inventory);
};

export const codes = (hop: PathHop | undefined): string[] =>
  (hop?.explanations ?? []).map((explanation) => explanation.explanationCode);

export const hopsOf = (path: PathHop[], kind: PathHop['kind']) => path.filter((hop) => hop.kind === kind);
