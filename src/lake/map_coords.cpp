#include "lake/map_coords.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/json_text.h"
#include "core/json_value.h"

namespace pixlake {
namespace {

// Reads the JSON string starting at text[pos] == '"'; returns the position after it or npos.
// The literal's end is found here; its escapes are decoded by the project's one JSON parser.
size_t read_string(const std::string& text, size_t pos, std::string& out) {
  if (pos >= text.size() || text[pos] != '"') return std::string::npos;
  size_t end = pos + 1;
  while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
  if (end >= text.size()) return std::string::npos;
  auto value = parse_json(std::string_view(text).substr(pos, end + 1 - pos));
  if (!value.is_ok() || !value->is_string()) return std::string::npos;
  out = value->as_string();
  return end + 1;
}

// The string value of "key": in `line`, or false.
bool string_field(const std::string& line, const std::string& key, std::string& out) {
  const size_t at = line.find("\"" + key + "\":");
  return at != std::string::npos &&
         read_string(line, at + key.size() + 3, out) != std::string::npos;
}

}  // namespace

Status write_map_coords(const MapCoords& coords, const std::string& path) {
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    if (!out) return io_error("map: cannot write coordinates to '" + path + "'");
    out << "{\"format\":\"pixlake-map\",\"version\":" << kMapCoordsVersion
        << ",\"model\":" << json_quote(coords.model) << ",\"method\":" << json_quote(coords.method)
        << ",\"count\":" << coords.points.size() << ",\"groups\":[";
    for (size_t g = 0; g < coords.groups.size(); ++g)
      out << (g ? "," : "") << json_quote(coords.groups[g]);
    out << "],\"points\":[\n";
    char line[128];
    for (size_t i = 0; i < coords.points.size(); ++i) {
      const MapCoordinate& p = coords.points[i];
      std::snprintf(line, sizeof line, "{\"id\":%lld,\"x\":%.6f,\"y\":%.6f,\"group\":%d}%s\n",
                    static_cast<long long>(p.id), static_cast<double>(p.x),
                    static_cast<double>(p.y), p.group, i + 1 < coords.points.size() ? "," : "");
      out << line;
    }
    out << "]}\n";
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return io_error("map: cannot write coordinates to '" + path + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return io_error("map: cannot write coordinates to '" + path + "' (rename failed)");
  }
  return Status::ok();
}

Result<MapCoords> read_map_coords(const std::string& path) {
  std::ifstream in(path);
  if (!in) return not_found("map: cannot open coordinates '" + path + "'");
  std::string header;
  std::getline(in, header);
  MapCoords coords;
  const std::string magic = "{\"format\":\"pixlake-map\",\"version\":";
  if (header.rfind(magic, 0) != 0 || !string_field(header, "model", coords.model) ||
      !string_field(header, "method", coords.method)) {
    return data_loss("map: '" + path + "' line 1 is not a pixlake map header");
  }
  if (std::atoi(header.c_str() + magic.size()) != kMapCoordsVersion) {
    return unsupported("map: '" + path + "' is map format version " +
                       std::to_string(std::atoi(header.c_str() + magic.size())) +
                       "; this pixlake reads version " + std::to_string(kMapCoordsVersion));
  }
  const size_t groups_at = header.find("\"groups\":[");
  if (groups_at == std::string::npos) return data_loss("map: '" + path + "' has no groups");
  size_t pos = groups_at + 10;
  while (pos < header.size() && header[pos] == '"') {
    std::string name;
    pos = read_string(header, pos, name);
    if (pos == std::string::npos) return data_loss("map: '" + path + "': bad group name");
    coords.groups.push_back(name);
    if (pos < header.size() && header[pos] == ',') ++pos;
  }
  std::string line;
  int64_t number = 1;
  bool closed = false;
  while (std::getline(in, line)) {
    ++number;
    if (line == "]}") {
      closed = true;
      break;
    }
    long long id = 0;
    double x = 0, y = 0;
    int group = -1;
    if (std::sscanf(line.c_str(), "{\"id\":%lld,\"x\":%lf,\"y\":%lf,\"group\":%d}", &id, &x, &y,
                    &group) != 4 ||
        group < -1 || group >= static_cast<int>(coords.groups.size())) {
      return data_loss("map: '" + path + "' line " + std::to_string(number) + " is not a point");
    }
    coords.points.push_back({id, static_cast<float>(x), static_cast<float>(y), group});
  }
  if (!closed) return data_loss("map: '" + path + "' ends early (no closing ']}')");
  return coords;
}

}  // namespace pixlake
