#!/usr/bin/env node
// ort_infer: times ONNX Runtime's session.run on one ONNX file and prints one JSON line with the
// fields pixlake_infer prints: the peer side of bench/inference (inference_bench.py runs both,
// interleaved, on the same file and input).
//
//   node ort_infer.mjs --model M.onnx --data IN.npy --batch N --threads T --warmup W --iters I
//                      [--input NAME] [--output NAME] [--save-output OUT.npy] [--label TEXT]
//
// Session: CPU execution provider, intraOpNumThreads = T, interOpNumThreads = 1 (sequential
// execution), graphOptimizationLevel 'all', everything else at ONNX Runtime's defaults (thread
// spinning included): the configuration a user gets. Timed: session.run only, on a tensor built
// once before the loop, like pixlake_infer. Uses the onnxruntime-node that tools/reference/
// installs (npm install --ignore-scripts onnxruntime-node there).

import fs from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import {read_npy, write_npy} from '../../tools/reference/npy.mjs';

const kHere = path.dirname(fileURLToPath(import.meta.url));
const kReference = path.join(kHere, '..', '..', 'tools', 'reference');

class UsageError extends Error {}

function fail(message) {
  throw new UsageError(message);
}

function parse_args(argv) {
  const args = {model: null, data: null, input: null, output: null, save_output: null, label: '',
                batch: 1, threads: 1, warmup: 3, iters: 10};
  const integers = {'--batch': ['batch', 1], '--threads': ['threads', 1], '--warmup': ['warmup', 0],
                    '--iters': ['iters', 1]};
  const strings = {'--model': 'model', '--data': 'data', '--input': 'input', '--output': 'output',
                   '--save-output': 'save_output', '--label': 'label'};
  for (let i = 0; i < argv.length; ++i) {
    const flag = argv[i];
    if (flag === '--help' || flag === '-h') {
      console.log('usage: node ort_infer.mjs --model M.onnx --data IN.npy --batch N --threads T ' +
                  '--warmup W --iters I [--input NAME] [--output NAME] [--save-output OUT.npy] [--label TEXT]');
      process.exit(0);
    }
    if (i + 1 >= argv.length) fail(`${flag} needs a value`);
    const value = argv[++i];
    if (flag in integers) {
      const [key, min] = integers[flag];
      const n = Number(value);
      if (!Number.isInteger(n) || n < min) fail(`${flag} expects an integer >= ${min}, got '${value}'`);
      args[key] = n;
    } else if (flag in strings) {
      args[strings[flag]] = value;
    } else {
      fail(`unknown argument '${flag}' (see --help)`);
    }
  }
  if (!args.model) fail('--model is required');
  if (!args.data) fail('--data is required');
  return args;
}

// Peak resident set size of this process image: VmHWM, not resourceUsage().maxRSS, which Linux
// carries across execve from the parent (the Python driver) and so reports the parent's size.
function peak_rss_mb() {
  try {
    const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS / 1024;  // KiB
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  return n % 2 ? v[(n - 1) / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

async function main() {
  const args = parse_args(process.argv.slice(2));
  const baseline_rss_mb = process.memoryUsage().rss / (1024 * 1024);
  // onnxruntime-node lives in tools/reference/node_modules, not on this folder's resolution path.
  const ort = createRequire(path.join(kReference, 'package.json'))('onnxruntime-node');
  if (!fs.existsSync(args.model)) fail(`model '${args.model}' does not exist`);

  const t_load = performance.now();
  const session = await ort.InferenceSession.create(args.model, {
    executionProviders: ['cpu'], graphOptimizationLevel: 'all', executionMode: 'sequential',
    intraOpNumThreads: args.threads, interOpNumThreads: 1});
  const load_ms = performance.now() - t_load;

  const input = args.input ?? session.inputNames[0];
  const output = args.output ?? session.outputNames[0];
  if (!session.inputNames.includes(input)) fail(`'${input}' is not an input of '${args.model}'`);
  if (!session.outputNames.includes(output)) fail(`'${output}' is not an output of '${args.model}'`);
  const array = read_npy(args.data);
  if (array.dtype !== 'float32') fail(`--data '${args.data}' is ${array.dtype}; float32 expected`);
  if (array.shape[0] !== args.batch) fail(`--data '${args.data}' has batch ${array.shape[0]}, not ${args.batch}`);
  const feeds = {[input]: new ort.Tensor('float32', array.data, array.shape)};

  let result = null;
  for (let i = 0; i < args.warmup; ++i) result = await session.run(feeds, [output]);
  const ms = [];
  for (let i = 0; i < args.iters; ++i) {
    const t0 = performance.now();
    result = await session.run(feeds, [output]);
    ms.push(performance.now() - t0);
  }
  const out = result[output];
  if (args.save_output) {
    const data = out.type === 'float32' ? out.data : Float32Array.from(out.data, Number);
    write_npy(args.save_output, {dtype: 'float32', shape: [...out.dims], data});
  }
  await session.release();

  const med = median(ms);
  const record = {
    side: 'ort', label: args.label, model: args.model, input, output,
    output_shape: `[${out.dims.join(',')}]`, batch: args.batch, threads: args.threads,
    precision: 'model', warmup: args.warmup, iters: args.iters, load_ms: +load_ms.toFixed(1),
    ms_per_batch_median: +med.toFixed(4), ms_per_batch_min: +Math.min(...ms).toFixed(4),
    ms_per_image_median: +(med / args.batch).toFixed(4), images_per_s: +((1000 * args.batch) / med).toFixed(3),
    baseline_rss_mb: +baseline_rss_mb.toFixed(1),
    peak_rss_mb: +peak_rss_mb().toFixed(1),
    ort_version: ort.env.versions.common,
  };
  console.log(JSON.stringify(record));
}

try {
  await main();
} catch (error) {
  console.error(`ort_infer: ${error instanceof UsageError ? error.message : error.stack}`);
  process.exitCode = 1;
}
