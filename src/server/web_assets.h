// The web UI's static files, compiled into the binary from web/static/ (cmake/embed_files.cmake).
#pragma once

#include <cstddef>

namespace rasai::web {

struct Asset {
  const char* path;  // "/index.html", "/app.js", ...; nullptr ends the table
  const char* data;
  size_t size;
};

extern const Asset kAssets[];

}  // namespace rasai::web
