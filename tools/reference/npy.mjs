// Reads and writes NumPy .npy files (format versions 1.0, 2.0 and 3.0, C order,
// little-endian), so parity tests can hand tensors between numpy, ONNX Runtime
// and pixlake without a Python dependency on the Node side.
//
// A loaded array is {dtype, shape, data}: dtype is the ONNX Runtime tensor type
// name ('float32', 'float16', 'uint8', ...), shape an array of numbers and data
// a TypedArray. float16 data is a Uint16Array of raw IEEE half bits, because
// Node 20 has no Float16Array; f16_to_f32 / f32_to_f16 convert.
//
// Assumes a little-endian host (x86-64, arm64), which is what we run on.

import fs from 'node:fs';

// numpy descr <-> {ORT type name, TypedArray}; '|' and '<' are both accepted
// on read for one-byte types since numpy writes '|'.
const kTypes = [
  {descr: '<f4', dtype: 'float32', ctor: Float32Array},
  {descr: '<f2', dtype: 'float16', ctor: Uint16Array},
  {descr: '<f8', dtype: 'float64', ctor: Float64Array},
  {descr: '|u1', dtype: 'uint8', ctor: Uint8Array},
  {descr: '|i1', dtype: 'int8', ctor: Int8Array},
  {descr: '<u2', dtype: 'uint16', ctor: Uint16Array},
  {descr: '<i2', dtype: 'int16', ctor: Int16Array},
  {descr: '<i4', dtype: 'int32', ctor: Int32Array},
  {descr: '<u4', dtype: 'uint32', ctor: Uint32Array},
  {descr: '<i8', dtype: 'int64', ctor: BigInt64Array},
  {descr: '<u8', dtype: 'uint64', ctor: BigUint64Array},
  {descr: '|b1', dtype: 'bool', ctor: Uint8Array},
];

const kMagic = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);  // \x93NUMPY

function type_by_descr(descr) {
  const normalized = descr.replace(/^[<=]([ui]1|b1)$/, '|$1').replace(/^=/, '<');
  const t = kTypes.find((k) => k.descr === normalized);
  if (!t) {
    throw new Error(`npy: unsupported dtype '${descr}' (supported: ${kTypes.map((k) => k.descr).join(', ')})`);
  }
  return t;
}

function type_by_dtype(dtype) {
  const t = kTypes.find((k) => k.dtype === dtype);
  if (!t) throw new Error(`npy: unsupported dtype '${dtype}'`);
  return t;
}

export function element_count(shape) {
  return shape.reduce((a, b) => a * b, 1);
}

// Parses the Python dict literal of the header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }
function parse_header(text, path) {
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) throw new Error(`npy: ${path}: malformed header ${JSON.stringify(text)}`);
  if (fortran[1] === 'True') throw new Error(`npy: ${path}: fortran_order=True is not supported (save C order)`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s.length > 0).map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`npy: ${path}: bad shape (${shape[1]})`);
  return {descr: descr[1], shape: dims};
}

// Decodes .npy bytes (a Buffer or Uint8Array).
export function decode_npy(bytes, path = '<buffer>') {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 10 || !buf.subarray(0, 6).equals(kMagic)) throw new Error(`npy: ${path}: not a .npy file`);
  const major = buf[6];
  let header_len;
  let header_start;
  if (major === 1) {
    header_len = buf.readUInt16LE(8);
    header_start = 10;
  } else if (major === 2 || major === 3) {
    header_len = buf.readUInt32LE(8);
    header_start = 12;
  } else {
    throw new Error(`npy: ${path}: unsupported format version ${major}.${buf[7]}`);
  }
  const encoding = major === 3 ? 'utf8' : 'latin1';
  const header = parse_header(buf.toString(encoding, header_start, header_start + header_len), path);
  const type = type_by_descr(header.descr);
  const count = element_count(header.shape);
  const data_start = header_start + header_len;
  const nbytes = count * type.ctor.BYTES_PER_ELEMENT;
  if (buf.length - data_start < nbytes) {
    throw new Error(`npy: ${path}: truncated data (${buf.length - data_start} bytes, expected ${nbytes})`);
  }
  // Copy so the TypedArray is aligned and does not pin the file buffer.
  const data = new type.ctor(count);
  Buffer.from(data.buffer).set(buf.subarray(data_start, data_start + nbytes));
  return {dtype: type.dtype, shape: header.shape, data};
}

export function read_npy(path) {
  return decode_npy(fs.readFileSync(path), path);
}

// Encodes {dtype, shape, data} as .npy bytes: version 1.0 unless the header
// needs more than 65535 bytes; total header padded to a multiple of 64 as numpy does.
export function encode_npy({dtype, shape, data}) {
  const type = type_by_dtype(dtype);
  const count = element_count(shape);
  if (data.length !== count) throw new Error(`npy: data has ${data.length} elements, shape [${shape}] needs ${count}`);
  if (!(data instanceof type.ctor)) data = type.ctor.from(data);
  const shape_text = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${type.descr}', 'fortran_order': False, 'shape': ${shape_text}, }`;
  let major = 1;
  let prefix = 10;
  if (dict.length + 1 + prefix > 65535) {
    major = 2;
    prefix = 12;
  }
  const pad = (64 - ((prefix + dict.length + 1) % 64)) % 64;
  dict = dict + ' '.repeat(pad) + '\n';
  const head = Buffer.alloc(prefix);
  kMagic.copy(head, 0);
  head[6] = major;
  head[7] = 0;
  if (major === 1) head.writeUInt16LE(dict.length, 8);
  else head.writeUInt32LE(dict.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), body]);
}

export function write_npy(path, array) {
  fs.writeFileSync(path, encode_npy(array));
}

// IEEE half -> single. Exact (every half is representable as a float).
export function f16_to_f32(halves) {
  const out = new Float32Array(halves.length);
  for (let i = 0; i < halves.length; ++i) {
    const h = halves[i];
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) out[i] = sign * mant * 2 ** -24;  // zero / subnormal
    else if (exp === 31) out[i] = mant ? NaN : sign * Infinity;
    else out[i] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return out;
}

// Single -> IEEE half with round-to-nearest-even (what numpy's astype does).
export function f32_to_f16(floats) {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  const out = new Uint16Array(floats.length);
  for (let i = 0; i < floats.length; ++i) {
    f32[0] = floats[i];
    const x = u32[0];
    const sign = (x >>> 16) & 0x8000;
    const exp = (x >>> 23) & 0xff;
    let mant = x & 0x7fffff;
    if (exp === 0xff) {  // inf / nan (keep nan quiet and non-zero)
      out[i] = sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
      continue;
    }
    const e = exp - 127 + 15;
    if (e >= 31) {  // overflow -> inf
      out[i] = sign | 0x7c00;
      continue;
    }
    if (e <= 0) {  // subnormal half or zero
      if (e < -10) {
        out[i] = sign;
        continue;
      }
      mant |= 0x800000;
      const shift = 14 - e;
      let h = mant >>> shift;
      const rem = mant & ((1 << shift) - 1);
      const half = 1 << (shift - 1);
      if (rem > half || (rem === half && (h & 1))) h += 1;
      out[i] = sign | h;
      continue;
    }
    let h = (e << 10) | (mant >>> 13);
    const rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h += 1;  // may carry into exp: still correct
    out[i] = sign | h;
  }
  return out;
}
