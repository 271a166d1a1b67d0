#!/usr/bin/env node
// Rebuilds redteam/cases/from-training.jsonl from the safety training data's
// attack sources (the same files `npm run train:safety` reads: AGENTD_SAFETY_DATA,
// or ../shared/data/safety beside the repository). The selection is a fixed
// function of the data (rows ordered by the sha256 of their text), so running
// it again on the same data writes the same file. Only MIT-licensed rows are
// taken: promptshield's attacks and BIPIA's email contexts with an attack.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.AGENTD_SAFETY_DATA ?? join(here, '../../shared/data/safety');
const file = join(dataDir, 'train.jsonl');
const rows = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line, index) => ({ ...JSON.parse(line), line: index + 1 }));
const order = (row) => createHash('sha256').update(row.text).digest('hex');
const pick = (filter, count) =>
  rows
    .filter(filter)
    .sort((a, b) => (order(a) < order(b) ? -1 : 1))
    .slice(0, count);

const promptshield = (row) => row.label === 1 && row.source.startsWith('Neural-alchemy/promptshield:');
const bipiaEmail = (row) => row.label === 1 && row.source.startsWith('microsoft/BIPIA:benchmark/email/');
const emails = pick(bipiaEmail, 45);
const cases = [
  ...pick(promptshield, 40).map((row, i) => ({
    id: `train-input-${String(i + 1).padStart(2, '0')}`,
    category: 'jailbreak',
    vector: 'input',
    payload: row.text,
    source: `${row.source} (train.jsonl line ${row.line})`,
  })),
  ...['web', 'file', 'mcp'].flatMap((vector, v) =>
    emails.slice(v * 15, v * 15 + 15).map((row, i) => ({
      id: `train-${vector}-${String(i + 1).padStart(2, '0')}`,
      category: `injection-${vector}`,
      vector,
      payload: row.text,
      source: `${row.source} (train.jsonl line ${row.line})`,
    })),
  ),
];
const out = join(here, 'cases/from-training.jsonl');
writeFileSync(out, `${cases.map((entry) => JSON.stringify(entry)).join('\n')}\n`);
console.log(`redteam: wrote ${cases.length} cases to ${out}`);
