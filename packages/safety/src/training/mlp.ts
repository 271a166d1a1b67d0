import type { SparseVector } from '../classifier/features.js';
import { mulberry32 } from './logistic.js';
import type { Sample } from './samples.js';

/**
 * A linear model with a small hidden layer beside it: z = b + w.x + v.relu(U x + c),
 * x the hashed sparse features folded into `dim` (a power of two). The linear part
 * starts from the attack signals' prior weights like the committed model; the hidden
 * units can learn conjunctions (an override verb with a second-person command, say)
 * that a linear model cannot. Trained from scratch by AdaGrad on the weighted windows.
 */
export interface Mlp {
  dim: number;
  hidden: number;
  w: Float32Array;
  u: Float32Array; // dim x hidden, row-major by feature
  c: Float32Array;
  v: Float32Array;
  b: number;
}

export interface MlpOptions {
  dim: number;
  hidden: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  priors?: ReadonlyMap<number, number>;
}

export function mlpMargin(model: Mlp, x: SparseVector, h = new Float32Array(model.hidden)): number {
  const mask = model.dim - 1;
  h.set(model.c);
  let z = model.b;
  for (let k = 0; k < x.indices.length; k++) {
    const at = (x.indices[k] as number) & mask;
    const value = x.values[k] as number;
    z += (model.w[at] as number) * value;
    const row = at * model.hidden;
    for (let j = 0; j < model.hidden; j++) h[j] = (h[j] as number) + (model.u[row + j] as number) * value;
  }
  for (let j = 0; j < model.hidden; j++)
    if ((h[j] as number) > 0) z += (h[j] as number) * (model.v[j] as number);
  return z;
}

export function trainMlp(samples: readonly Sample[], o: MlpOptions): Mlp {
  const random = mulberry32(o.seed);
  const H = o.hidden;
  const mask = o.dim - 1;
  const model: Mlp = {
    dim: o.dim,
    hidden: H,
    w: new Float32Array(o.dim),
    u: new Float32Array(o.dim * H).map(() => (random() - 0.5) * 0.2),
    c: new Float32Array(H),
    v: new Float32Array(H).map(() => (random() - 0.5) * 0.2),
    b: 0,
  };
  const prior = new Float32Array(o.dim);
  for (const [i, value] of o.priors ?? []) {
    prior[i & mask] = value;
    model.w[i & mask] = value;
  }
  const gw = new Float32Array(o.dim).fill(1e-8);
  const gu = new Float32Array(o.dim * H).fill(1e-8);
  const gc = new Float32Array(H).fill(1e-8);
  const gv = new Float32Array(H).fill(1e-8);
  let gb = 1e-8;
  const h = new Float32Array(H);
  const dh = new Float32Array(H);
  const order = samples.map((_, i) => i);
  const lr = o.learningRate;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j] as number, order[i] as number];
    }
    for (const index of order) {
      const { vector: x, label, weight } = samples[index] as Sample;
      const z = mlpMargin(model, x, h);
      const error = weight * (1 / (1 + Math.exp(-z)) - label);
      for (let j = 0; j < H; j++) {
        const active = (h[j] as number) > 0;
        dh[j] = active ? error * (model.v[j] as number) : 0;
        const g = (active ? error * (h[j] as number) : 0) + o.l2 * (model.v[j] as number);
        gv[j] = (gv[j] as number) + g * g;
        model.v[j] = (model.v[j] as number) - (lr * g) / Math.sqrt(gv[j] as number);
        const gcj = dh[j] as number;
        if (gcj !== 0) {
          gc[j] = (gc[j] as number) + gcj * gcj;
          model.c[j] = (model.c[j] as number) - (lr * gcj) / Math.sqrt(gc[j] as number);
        }
      }
      for (let k = 0; k < x.indices.length; k++) {
        const at = (x.indices[k] as number) & mask;
        const value = x.values[k] as number;
        const g = error * value + o.l2 * ((model.w[at] as number) - (prior[at] as number));
        gw[at] = (gw[at] as number) + g * g;
        model.w[at] = (model.w[at] as number) - (lr * g) / Math.sqrt(gw[at] as number);
        const row = at * H;
        for (let j = 0; j < H; j++) {
          const gj = (dh[j] as number) * value + o.l2 * (model.u[row + j] as number);
          if (gj === 0) continue;
          gu[row + j] = (gu[row + j] as number) + gj * gj;
          model.u[row + j] = (model.u[row + j] as number) - (lr * gj) / Math.sqrt(gu[row + j] as number);
        }
      }
      gb += error * error;
      model.b -= (lr * error) / Math.sqrt(gb);
    }
  }
  return model;
}
