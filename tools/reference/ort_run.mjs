#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (CPU) on .npy inputs and writes the
// requested tensors as .npy: the reference side of pixlake's parity tests.
//
//   node ort_run.mjs --model M.onnx --input NAME=in.npy [...] --output NAME=out.npy [...]
//                    [--threads N] [--opt all|extended|basic|disabled] [--keep-model PATH] [--quiet]
//
// - Any tensor of the main graph may be requested as an output: ones that are
//   not graph outputs are exposed first by expose_tensors.py (Debian python3-onnx).
// - Inputs are converted to the model's input type where that is lossless in
//   intent: float32/float64 -> float16 for fp16 models, float64/float16 -> float32,
//   integer widths between each other. Anything else is refused.
// - Outputs: float16 is written as float32, other types as they are.
// - If the model fixes an input's batch (first) dimension to 1 and the .npy has
//   N > 1 there, the model is run once per item and outputs are concatenated
//   along axis 0.
// Timings go to stderr; exit status 1 with a message on any error.

import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

import * as ort from 'onnxruntime-node';

import {element_count, f16_to_f32, f32_to_f16, read_npy, write_npy} from './npy.mjs';

const kHere = path.dirname(fileURLToPath(import.meta.url));
const kPython = '/usr/bin/python3';

// Errors are thrown, not exited on, so `finally` blocks still clean up.
class RunError extends Error {}

function fail(message) {
  throw new RunError(message);
}

function parse_pair(flag, text) {
  const eq = text.indexOf('=');
  if (eq <= 0 || eq === text.length - 1) fail(`${flag} expects NAME=FILE.npy, got '${text}'`);
  return {name: text.slice(0, eq), file: text.slice(eq + 1)};
}

function parse_args(argv) {
  const args = {model: null, inputs: [], outputs: [], threads: 0, opt: 'all', keep_model: null, quiet: false};
  const value = (i) => {
    if (i + 1 >= argv.length) fail(`${argv[i]} needs a value`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--model') args.model = value(i++);
    else if (a === '--input') args.inputs.push(parse_pair(a, value(i++)));
    else if (a === '--output') args.outputs.push(parse_pair(a, value(i++)));
    else if (a === '--threads') args.threads = Number(value(i++));
    else if (a === '--opt') args.opt = value(i++);
    else if (a === '--keep-model') args.keep_model = value(i++);
    else if (a === '--quiet') args.quiet = true;
    else if (a === '--help' || a === '-h') {
      console.log('usage: node ort_run.mjs --model M.onnx --input NAME=in.npy [...] --output NAME=out.npy [...]\n' +
                  '       [--threads N] [--opt all|extended|basic|disabled] [--keep-model PATH] [--quiet]');
      process.exit(0);
    } else fail(`unknown argument '${a}' (see --help)`);
  }
  if (!args.model) fail('--model is required');
  if (args.outputs.length === 0) fail('at least one --output NAME=FILE.npy is required');
  if (!Number.isInteger(args.threads) || args.threads < 0) fail('--threads expects a non-negative integer');
  if (!['all', 'extended', 'basic', 'disabled'].includes(args.opt)) fail(`--opt '${args.opt}' is not all|extended|basic|disabled`);
  return args;
}

async function create_session(model_path, args) {
  const options = {executionProviders: ['cpu'], graphOptimizationLevel: args.opt, interOpNumThreads: 1};
  if (args.threads > 0) options.intraOpNumThreads = args.threads;
  try {
    return await ort.InferenceSession.create(model_path, options);
  } catch (error) {
    fail(`cannot load model '${model_path}': ${error.message}`);
  }
}

// Writes a copy of the model with `names` added as graph outputs; returns its path.
function expose(model_path, names, keep_model) {
  const temp_dir = keep_model ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'ort_run-'));
  const target = keep_model ?? path.join(temp_dir, 'exposed.onnx');
  const result = spawnSync(kPython, [path.join(kHere, 'expose_tensors.py'), model_path, target, ...names],
                           {encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe']});
  if (result.error || result.status !== 0) {
    if (temp_dir) fs.rmSync(temp_dir, {recursive: true, force: true});
    if (result.error) fail(`cannot run ${kPython}: ${result.error.message}`);
    fail(`exposing ${names.join(', ')} failed:\n${result.stderr.trim()}`);
  }
  if (result.stderr.trim()) console.error(result.stderr.trim());
  return target;
}

const kFloatTypes = ['float32', 'float64', 'float16'];
const kIntTypes = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'bool'];
const kCtors = {
  float32: Float32Array, float64: Float64Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array,
  uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array, int64: BigInt64Array, uint64: BigUint64Array,
  bool: Uint8Array,
};

// Returns the .npy data as a TypedArray of the model input's type.
function convert_input(name, array, want) {
  const have = array.dtype;
  if (have === want) return array.data;
  if (kFloatTypes.includes(have) && kFloatTypes.includes(want)) {
    const floats = have === 'float16' ? f16_to_f32(array.data) : array.data;
    if (want === 'float16') return f32_to_f16(floats);
    return kCtors[want].from(floats);
  }
  if (kIntTypes.includes(have) && kIntTypes.includes(want) && want !== 'bool') {
    const big = want === 'int64' || want === 'uint64';
    return kCtors[want].from(array.data, (v) => (big ? BigInt(v) : Number(v)));
  }
  fail(`input '${name}': .npy has ${have}, the model wants ${want}`);
}

function check_shape(name, shape, meta_shape) {
  if (meta_shape.length === 0) return;  // rank unknown to the model
  const ok = shape.length === meta_shape.length &&
             meta_shape.every((d, i) => typeof d !== 'number' || d < 0 || d === shape[i]);
  if (!ok) fail(`input '${name}': .npy shape [${shape}] does not match the model's [${meta_shape}]`);
}

// Reads the inputs, converts them, and decides how many runs are needed.
function prepare_inputs(session, args) {
  const meta = new Map(session.inputMetadata.map((m) => [m.name, m]));
  const given = new Set(args.inputs.map((i) => i.name));
  for (const m of session.inputMetadata) {
    if (!given.has(m.name)) fail(`model input '${m.name}' has no --input (model inputs: ${session.inputNames.join(', ')})`);
  }
  let batch = 1;
  const inputs = [];
  for (const {name, file} of args.inputs) {
    const m = meta.get(name);
    if (!m) fail(`'${name}' is not a model input (model inputs: ${session.inputNames.join(', ')})`);
    if (!m.isTensor) fail(`model input '${name}' is not a tensor`);
    let array;
    try {
      array = read_npy(file);
    } catch (error) {
      fail(error.message);
    }
    const data = convert_input(name, array, m.type);
    // A batch fixed at 1 by the model, but N in the file: run item by item.
    const split = m.shape.length > 0 && m.shape[0] === 1 && array.shape.length === m.shape.length && array.shape[0] > 1;
    const item_shape = split ? [1, ...array.shape.slice(1)] : array.shape;
    check_shape(name, item_shape, m.shape);
    if (split) {
      if (batch !== 1 && batch !== array.shape[0]) fail(`input '${name}': batch ${array.shape[0]} differs from other inputs' ${batch}`);
      batch = array.shape[0];
    }
    inputs.push({name, type: m.type, data, shape: array.shape, split});
  }
  return {inputs, batch};
}

function feeds_for_item(inputs, item, batch) {
  const feeds = {};
  for (const input of inputs) {
    if (!input.split) {
      feeds[input.name] = new ort.Tensor(input.type, input.data, input.shape);
      continue;
    }
    const per_item = element_count(input.shape) / batch;
    const data = input.data.slice(item * per_item, (item + 1) * per_item);
    feeds[input.name] = new ort.Tensor(input.type, data, [1, ...input.shape.slice(1)]);
  }
  return feeds;
}

// ORT tensor -> {dtype, shape, data} with float16 widened to float32.
function to_array(name, tensor) {
  if (tensor.type === 'float16') {
    const halves = tensor.data instanceof Uint16Array ? tensor.data : new Uint16Array(tensor.data.buffer);
    return {dtype: 'float32', shape: [...tensor.dims], data: f16_to_f32(halves)};
  }
  if (!(tensor.type in kCtors)) fail(`output '${name}' has type ${tensor.type}, which .npy output does not support`);
  return {dtype: tensor.type, shape: [...tensor.dims], data: tensor.data};
}

function concat_batch(name, parts) {
  const first = parts[0];
  if (first.shape.length === 0) fail(`output '${name}' is a scalar: cannot concatenate per-item runs along axis 0`);
  const rest = JSON.stringify(first.shape.slice(1));
  for (const p of parts) {
    if (JSON.stringify(p.shape.slice(1)) !== rest) fail(`output '${name}': per-item shapes differ, cannot concatenate`);
  }
  const total = parts.reduce((n, p) => n + p.data.length, 0);
  const data = new first.data.constructor(total);
  let offset = 0;
  for (const p of parts) {
    data.set(p.data, offset);
    offset += p.data.length;
  }
  return {dtype: first.dtype, shape: [parts.reduce((n, p) => n + p.shape[0], 0), ...first.shape.slice(1)], data};
}

async function main() {
  const args = parse_args(process.argv.slice(2));
  const log = (text) => args.quiet || console.error(`ort_run: ${text}`);
  if (!fs.existsSync(args.model)) fail(`model '${args.model}' does not exist`);

  let t0 = performance.now();
  let session = await create_session(args.model, args);
  const wanted = args.outputs.map((o) => o.name);
  const missing = wanted.filter((n) => !session.outputNames.includes(n));
  let exposed_dir = null;
  try {
    if (missing.length > 0 || args.keep_model) {
      await session.release();
      session = null;
      const exposed = expose(args.model, missing.length > 0 ? missing : wanted, args.keep_model);
      if (!args.keep_model) exposed_dir = path.dirname(exposed);
      session = await create_session(exposed, args);
    }
    log(`onnxruntime ${ort.env.versions.common}, opt=${args.opt}, session ready in ` +
        `${(performance.now() - t0).toFixed(0)} ms` + (missing.length ? ` (exposed ${missing.join(', ')})` : ''));

    const {inputs, batch} = prepare_inputs(session, args);
    const per_output = new Map(wanted.map((n) => [n, []]));
    t0 = performance.now();
    for (let item = 0; item < batch; ++item) {
      let results;
      try {
        results = await session.run(feeds_for_item(inputs, item, batch), wanted);
      } catch (error) {
        fail(`run failed: ${error.message}`);
      }
      for (const n of wanted) per_output.get(n).push(to_array(n, results[n]));
    }
    log(`${batch > 1 ? `${batch} runs (batch fixed at 1)` : 'run'} in ${(performance.now() - t0).toFixed(1)} ms`);
    for (const {name, file} of args.outputs) {
      const parts = per_output.get(name);
      const array = parts.length === 1 ? parts[0] : concat_batch(name, parts);
      write_npy(file, array);
      log(`wrote ${name} ${array.dtype}[${array.shape}] -> ${file}`);
    }
  } finally {
    if (session) await session.release();
    if (exposed_dir) fs.rmSync(exposed_dir, {recursive: true, force: true});
  }
}

try {
  await main();
} catch (error) {
  console.error(`ort_run: ${error instanceof RunError ? error.message : error.stack}`);
  process.exitCode = 1;
}
