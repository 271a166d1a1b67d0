import { readFileSync } from 'node:fs';
import type { LinearModel } from './linear-model.js';

/** The committed weights, trained by `npm run train:safety`. */
export const DEFAULT_WEIGHTS_URL = new URL('../../weights/injection-classifier.json', import.meta.url);

interface WeightsFile {
  version: string;
  features: LinearModel['features'];
  window: LinearModel['window'];
  bias: number;
  thresholds: LinearModel['thresholds'];
  surfaces?: LinearModel['surfaces'];
  /** Base64 of the Int32 indices and the Int16 values of the non-zero weights; a weight is value * scale. */
  indices: string;
  values: string;
  scale: number;
}

export function serializeModel(model: LinearModel): string {
  const indices: number[] = [];
  const values: number[] = [];
  model.weights.forEach((value, index) => {
    if (value !== 0) {
      indices.push(index);
      values.push(value);
    }
  });
  const scale = Math.max(1e-12, ...values.map(Math.abs)) / 32767;
  const file: WeightsFile = {
    version: model.version,
    features: model.features,
    window: model.window,
    bias: model.bias,
    thresholds: model.thresholds,
    ...(model.surfaces ? { surfaces: model.surfaces } : {}),
    indices: Buffer.from(Int32Array.from(indices).buffer).toString('base64'),
    values: Buffer.from(Int16Array.from(values, (value) => Math.round(value / scale)).buffer).toString(
      'base64',
    ),
    scale,
  };
  // Lists of names on one line, as the formatter (biome) writes them.
  const json = JSON.stringify(file, null, 2).replace(
    /\[\s+("[^"\n]*"(?:,\s+"[^"\n]*")*)\s+\]/g,
    (_, items: string) => `[${items.replace(/,\s+/g, ', ')}]`,
  );
  return `${json}\n`;
}

export function parseModel(json: string): LinearModel {
  const file = JSON.parse(json) as WeightsFile;
  const indices = toTyped(file.indices, Int32Array);
  const values = toTyped(file.values, Int16Array);
  if (indices.length !== values.length) throw new Error('weights file: indices and values differ in length');
  const weights = new Float32Array(file.features.dim);
  indices.forEach((index, i) => {
    weights[index] = (values[i] as number) * file.scale;
  });
  return {
    version: file.version,
    features: file.features,
    window: file.window,
    bias: file.bias,
    thresholds: file.thresholds,
    ...(file.surfaces ? { surfaces: file.surfaces } : {}),
    weights,
  };
}

export function loadModel(url: URL | string = DEFAULT_WEIGHTS_URL): LinearModel {
  return parseModel(readFileSync(url, 'utf8'));
}

function toTyped<T extends Int32Array | Int16Array>(
  base64: string,
  Kind: { new (buffer: ArrayBuffer): T },
): T {
  const bytes = Buffer.from(base64, 'base64');
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new Kind(copy);
}
