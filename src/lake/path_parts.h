// The parts of an image path that the --where fields `name` and `ext` expose. Shared by the
// evaluator and the SQL functions pixlake_basename() / pixlake_ext() so both agree.
#pragma once

#include <string>
#include <string_view>

namespace pixlake {

// Everything after the last '/' (the whole path when there is none).
std::string_view path_file_name(std::string_view path);

// The file name's text after its last '.', ASCII-lowercased, without the dot; empty when the
// name has no '.' or only a leading one (".bashrc").
std::string path_extension(std::string_view path);

}  // namespace pixlake
