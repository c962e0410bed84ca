// libFuzzer target: arbitrary bytes as a --where expression. Whatever parses is evaluated on a
// fixed record and turned into SQL; nothing may crash, hang or overflow the stack.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lake/filter.h"
#include "lake/filter_sql.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const pixlake::ImageRecord record = [] {
    pixlake::ImageRecord r;
    r.id = 42;
    r.path = "/photos/2023/Cat Nap.JPG";
    r.hash = "ab12";
    r.size_bytes = 2 << 20;
    r.width = 4000;
    r.height = 3000;
    r.mtime = 1682942400;
    r.format = "jpeg";
    r.camera = "Canon EOS R5";
    r.taken = 1682842500;
    r.gps_lat = 48.8566;
    r.added = 1683018000;
    r.tags = {"cat", "label:tabby"};
    r.meta = {{"rating", "5"}};
    return r;
  }();
  auto filter = pixlake::parse_filter(std::string_view(reinterpret_cast<const char*>(data), size));
  if (filter.is_ok()) {
    volatile bool matched = pixlake::filter_matches(*filter, record);
    (void)matched;
    pixlake::SqlFragment sql = pixlake::filter_to_sql(*filter);
    (void)sql;
  }
  return 0;
}
