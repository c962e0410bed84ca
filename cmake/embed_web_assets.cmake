# Turns every file of tools/server/web/ into a byte array in one generated C++ file, so that
# `pixlake serve` answers GET / and /assets/* from the binary (no files to install, no CDN).
# Run at build time: cmake -DWEB_DIR=... -DOUT=... -P embed_web_assets.cmake
# Deterministic: files in sorted order, no dates or absolute paths in the output.
file(GLOB files RELATIVE ${WEB_DIR} ${WEB_DIR}/*)
list(SORT files)
set(arrays "")
set(table "")
set(n 0)
foreach(name ${files})
  if(IS_DIRECTORY ${WEB_DIR}/${name})
    continue()
  endif()
  if(name MATCHES "\\.html$")
    set(type "text/html; charset=utf-8")
  elseif(name MATCHES "\\.m?js$")
    set(type "text/javascript; charset=utf-8")
  elseif(name MATCHES "\\.css$")
    set(type "text/css; charset=utf-8")
  elseif(name MATCHES "\\.svg$")
    set(type "image/svg+xml")
  elseif(name MATCHES "\\.png$")
    set(type "image/png")
  elseif(name MATCHES "\\.ico$")
    set(type "image/x-icon")
  else()
    message(FATAL_ERROR "embed_web_assets: no content type for '${name}'")
  endif()
  file(READ ${WEB_DIR}/${name} hex HEX)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  # A trailing 0 keeps an empty file a valid array; it is not part of the size.
  string(APPEND arrays "const unsigned char kAsset${n}[] = {${bytes}0x00};\n")
  string(APPEND table "    {\"${name}\", \"${type}\", reinterpret_cast<const char*>(kAsset${n}), sizeof kAsset${n} - 1},\n")
  math(EXPR n "${n} + 1")
endforeach()
set(content "// Generated from tools/server/web/ by cmake/embed_web_assets.cmake; do not edit.
#include \"web_assets.h\"

namespace pixlake::server {

namespace {
${arrays}}  // namespace

std::span<const WebAsset> web_assets() {
  static const WebAsset assets[] = {
${table}  };
  return assets;
}

}  // namespace pixlake::server
")
# Rewritten only when it changes, so that an unrelated re-run does not trigger a rebuild.
if(EXISTS ${OUT})
  file(READ ${OUT} old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE ${OUT} "${content}")
