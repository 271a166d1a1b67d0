import { fileURLToPath } from 'node:url';
import type { LinearModel } from '../classifier/linear-model.js';
import { BENIGN_GROUPS, benignDocuments } from './benign-documents.js';
import { cacheTexts, calibrateSurfaces } from './surface-calibration.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/** The model with its per-surface scoring set on the `calibrate` half of the benign documents, printed. */
export function calibrateWeights(model: LinearModel): LinearModel {
  const docs = benignDocuments('calibrate', REPO_ROOT);
  const counts = BENIGN_GROUPS.map((g) => `${g} ${docs.filter((d) => d.group === g).length}`).join(', ');
  const surfaces = calibrateSurfaces(model, cacheTexts(docs, model));
  console.log(`per-surface calibration on benign 4,000-character chunks (${counts}):`);
  for (const [surface, s] of Object.entries(surfaces))
    console.log(
      `  ${surface.padEnd(13)} flag ${s.flag.toFixed(3)}  block ${s.block.toFixed(3)}  masked: ${s.mask?.join(', ') || 'none'}`,
    );
  return { ...model, surfaces };
}
