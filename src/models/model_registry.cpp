#include "models/model_registry.h"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <mutex>

#include "core/sha256.h"

namespace pixlake {
namespace {

std::vector<ModelSpec> make_builtin_models() {
  std::vector<ModelSpec> models;

  ModelSpec mobilenet;
  mobilenet.name = "mobilenetv2";
  mobilenet.description =
      "MobileNetV2 1.0, ImageNet-1k, statically quantised int8 (ONNX Model Zoo, opset 12)";
  mobilenet.file = "mobilenetv2-12-int8.onnx";
  mobilenet.sha256 = "83530ad811bc31d2b60a5599a21265a5057608c9b044b4ee758cc22f2309f54f";
  mobilenet.url =
      "https://github.com/onnx/models/raw/main/validated/vision/classification/mobilenet/model/"
      "mobilenetv2-12-int8.onnx";
  mobilenet.input = "input";
  mobilenet.preprocess.resize_shorter = 256;
  mobilenet.preprocess.crop = 224;
  mobilenet.preprocess.interpolation = Interpolation::kArea;
  mobilenet.preprocess.channel_order = ChannelOrder::kRGB;
  mobilenet.preprocess.scale = 1.0f / 255.0f;
  mobilenet.preprocess.mean = {0.485f, 0.456f, 0.406f};
  mobilenet.preprocess.stddev = {0.229f, 0.224f, 0.225f};
  // '627' is the dequantised output of the last 1x1 conv, [N,1280,7,7]; its global average
  // pool is the 1280-d feature vector that feeds the classifier.
  mobilenet.embedding_layer = "627";
  mobilenet.classifier_output = "output";
  mobilenet.output_is_probability = false;
  mobilenet.labels_file = "imagenet_labels.txt";
  models.push_back(mobilenet);

  // The same file run in float32 (EngineOptions::dequantize): no rounding to uint8 between
  // layers. Faster on this engine than the int8 arithmetic and a little more accurate for
  // retrieval (docs/performance.md), hence the lake's default.
  ModelSpec mobilenet_f32 = mobilenet;
  mobilenet_f32.name = "mobilenetv2-f32";
  mobilenet_f32.description =
      "MobileNetV2 1.0, the int8 file above run in float32 (weights dequantised at load)";
  mobilenet_f32.dequantize = true;
  models.push_back(mobilenet_f32);

  // And with its convolutions in bfloat16 (pixlake/precision.h): about twice the multiply
  // rate on CPUs with AVX-512 BF16, float32 elsewhere. The lake's default.
  ModelSpec mobilenet_bf16 = mobilenet_f32;
  mobilenet_bf16.name = "mobilenetv2-bf16";
  mobilenet_bf16.description =
      "MobileNetV2 1.0, the int8 file run in float32 with bfloat16 convolutions";
  mobilenet_bf16.precision = Precision::kBf16;
  models.push_back(mobilenet_bf16);

  ModelSpec squeezenet;
  squeezenet.name = "squeezenet";
  squeezenet.description = "SqueezeNet 1.0, ImageNet-1k, float16 weights (opset 7)";
  squeezenet.file = "squeezenet1.0-fp16.onnx";
  squeezenet.sha256 = "21f25e3d9254af93e6218a359469fac714a017b3f9035c0f5c4acbf9a3ff7233";
  squeezenet.url =
      "https://github.com/microsoft/Windows-Machine-Learning/raw/master/SharedContent/models/"
      "SqueezeNet_fp16.onnx";
  squeezenet.input = "data_0";
  squeezenet.fixed_batch = 1;
  squeezenet.preprocess.resize_shorter = 256;
  squeezenet.preprocess.crop = 224;
  squeezenet.preprocess.interpolation = Interpolation::kArea;
  // Caffe convention: BGR, 0-255, mean subtracted, no scaling by a standard deviation.
  squeezenet.preprocess.channel_order = ChannelOrder::kBGR;
  squeezenet.preprocess.scale = 1.0f;
  squeezenet.preprocess.mean = {104.0f, 117.0f, 123.0f};
  squeezenet.preprocess.stddev = {1.0f, 1.0f, 1.0f};
  // Output of the last fire block, [N,512,13,13]; pooled to 512-d.
  squeezenet.embedding_layer = "fire9/concat_1";
  squeezenet.classifier_output = "softmaxout_1";
  squeezenet.output_is_probability = true;
  squeezenet.labels_file = "imagenet_labels.txt";
  models.push_back(squeezenet);
  return models;
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

}  // namespace

const std::vector<ModelSpec>& builtin_models() {
  static const std::vector<ModelSpec> models = make_builtin_models();
  return models;
}

const ModelSpec* find_model(const std::string& name) {
  for (const ModelSpec& m : builtin_models()) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

std::vector<std::string> model_search_dirs() {
  std::vector<std::string> dirs;
  if (auto d = env_or_empty("PIXLAKE_MODELS"); !d.empty()) dirs.push_back(d);
  if (auto d = env_or_empty("PIXLAKE_DATA"); !d.empty()) dirs.push_back(d + "/models");
  if (auto d = env_or_empty("XDG_CACHE_HOME"); !d.empty()) {
    dirs.push_back(d + "/pixlake/models");
  } else if (auto h = env_or_empty("HOME"); !h.empty()) {
    dirs.push_back(h + "/.cache/pixlake/models");
  }
  return dirs;
}

Result<std::string> locate_model_asset(const std::string& file) {
  std::string looked;
  for (const std::string& dir : model_search_dirs()) {
    std::string path = dir + "/" + file;
    if (std::filesystem::is_regular_file(path)) return path;
    looked += (looked.empty() ? "" : ", ") + dir;
  }
  return not_found("'" + file + "' not found in " + (looked.empty() ? "any model folder" : looked) +
                   " (set PIXLAKE_MODELS or PIXLAKE_DATA)");
}

Result<std::string> locate_model_file(const ModelSpec& spec) {
  auto path = locate_model_asset(spec.file);
  if (!path.is_ok()) {
    return not_found("model '" + spec.name + "': " + path.status().message() +
                     "; download it from " + spec.url + " into one of those folders");
  }
  // Hashing a few MB costs milliseconds; remember verified files for the process lifetime.
  static std::mutex mutex;
  static std::map<std::string, bool> verified;
  std::lock_guard<std::mutex> lock(mutex);
  if (!verified.count(*path)) {
    PIXLAKE_ASSIGN_OR_RETURN(std::string digest, sha256_file(*path));
    if (digest != spec.sha256) {
      return data_loss("model '" + spec.name + "': '" + *path + "' has sha256 " + digest +
                       ", expected " + spec.sha256 + " (corrupt or a different file)");
    }
    verified[*path] = true;
  }
  return path;
}

}  // namespace pixlake
