#include "core/npy.h"

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace pixlake {
namespace {

const char* npy_descr(DType dtype) {
  switch (dtype) {
    case DType::kF32: return "<f4";
    case DType::kF64: return "<f8";
    case DType::kF16: return "<f2";
    case DType::kI8: return "|i1";
    case DType::kU8: return "|u1";
    case DType::kI16: return "<i2";
    case DType::kU16: return "<u2";
    case DType::kI32: return "<i4";
    case DType::kU32: return "<u4";
    case DType::kI64: return "<i8";
    case DType::kU64: return "<u8";
    case DType::kBool: return "|b1";
    default: return nullptr;
  }
}

}  // namespace

Status write_npy(const std::string& path, const Tensor& tensor) {
  const char* descr = npy_descr(tensor.dtype());
  if (!descr)
    return unsupported(std::string("cannot write ") + dtype_name(tensor.dtype()) + " to .npy");
  std::string shape = "(";
  for (size_t i = 0; i < tensor.shape().size(); ++i) {
    shape += std::to_string(tensor.shape()[i]) + ",";
    if (tensor.shape().size() > 1 && i + 1 == tensor.shape().size()) shape.pop_back();
  }
  shape += ")";
  std::string header =
      "{'descr': '" + std::string(descr) + "', 'fortran_order': False, 'shape': " + shape + ", }";
  // Magic (6) + version (2) + header length (2) + header, padded with spaces to a multiple
  // of 64 and ended by a newline, as the format requires.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return io_error("cannot write '" + path + "'");
    out.write("\x93NUMPY\x01\x00", 8);
    uint16_t len = static_cast<uint16_t>(header.size());
    char len_bytes[2] = {static_cast<char>(len & 0xff), static_cast<char>(len >> 8)};
    out.write(len_bytes, 2);
    out.write(header.data(), static_cast<std::streamsize>(header.size()));
    out.write(static_cast<const char*>(tensor.raw()),
              static_cast<std::streamsize>(tensor.nbytes()));
    out.flush();
    if (!out) {
      std::filesystem::remove(tmp);
      return io_error("writing '" + path + "' failed (disk full?)");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return io_error("cannot move '" + tmp + "' to '" + path + "': " + ec.message());
  return Status::ok();
}

Result<Tensor> read_npy(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return not_found("'" + path + "' not found");
  char magic[8];
  in.read(magic, 8);
  if (!in || std::memcmp(magic, "\x93NUMPY", 6) != 0)
    return data_loss("'" + path + "' is not a .npy file");
  uint32_t header_len = 0;
  if (magic[6] == 1) {
    unsigned char b[2];
    in.read(reinterpret_cast<char*>(b), 2);
    header_len = b[0] | (b[1] << 8);
  } else {
    unsigned char b[4];
    in.read(reinterpret_cast<char*>(b), 4);
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
  }
  if (!in || header_len > (1u << 20)) return data_loss("'" + path + "': bad .npy header");
  std::string header(header_len, '\0');
  in.read(header.data(), header_len);
  if (!in) return data_loss("'" + path + "': truncated .npy header");
  if (header.find("'fortran_order': True") != std::string::npos) {
    return unsupported("'" + path + "': Fortran-order arrays are not supported");
  }
  DType dtype = DType::kUndefined;
  for (DType d : {DType::kF32, DType::kF64, DType::kF16, DType::kI8, DType::kU8, DType::kI16,
                  DType::kU16, DType::kI32, DType::kU32, DType::kI64, DType::kU64, DType::kBool}) {
    if (header.find(std::string("'") + npy_descr(d) + "'") != std::string::npos) dtype = d;
  }
  if (dtype == DType::kUndefined)
    return unsupported("'" + path + "': unsupported dtype in " + header);
  auto open = header.find('(', header.find("'shape'"));
  auto close = header.find(')', open);
  if (open == std::string::npos || close == std::string::npos)
    return data_loss("'" + path + "': no shape");
  Shape shape;
  std::stringstream dims(header.substr(open + 1, close - open - 1));
  std::string item;
  while (std::getline(dims, item, ',')) {
    if (item.find_first_not_of(' ') == std::string::npos) continue;
    try {
      shape.push_back(std::stoll(item));
    } catch (const std::exception&) {
      return data_loss("'" + path + "': bad shape");
    }
    if (shape.back() < 0 || shape.back() > (int64_t{1} << 40))
      return data_loss("'" + path + "': bad shape");
  }
  int64_t numel = 1;
  for (int64_t d : shape) {
    if (d != 0 && numel > (int64_t{1} << 40) / d)
      return data_loss("'" + path + "': shape too large");
    numel *= d;
  }
  auto pos = in.tellg();
  in.seekg(0, std::ios::end);
  auto available = static_cast<int64_t>(in.tellg() - pos);
  if (available < numel * static_cast<int64_t>(dtype_size(dtype))) {
    return data_loss("'" + path + "': truncated data");
  }
  in.seekg(pos);
  Tensor t(dtype, shape);
  in.read(static_cast<char*>(t.raw()), static_cast<std::streamsize>(t.nbytes()));
  if (!in) return data_loss("'" + path + "': truncated data");
  return t;
}

}  // namespace pixlake
