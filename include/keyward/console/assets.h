// The web console's static files (console/*.html, *.css, *.js in the source tree),
// compiled into the binary by CMake (generated console_assets_embedded.cc), so one
// executable serves its own console with no file on disk and no external request.
//
// Each asset carries an ETag (its SHA-256, computed at build time). index.html names
// the other assets with "?v=<that hash>", so they may be cached for good while the
// page itself is revalidated on every load. Immutable data; thread-safe.
#ifndef KEYWARD_CONSOLE_ASSETS_H_
#define KEYWARD_CONSOLE_ASSETS_H_

#include <span>
#include <string_view>

namespace keyward::console {

struct Asset {
  std::string_view name;  // "index.html", "app.js"
  std::string_view content_type;
  std::string_view body;
  std::string_view sha256;  // lowercase hex
};

// Every embedded asset, in name order.
std::span<const Asset> EmbeddedAssets();

// The asset called `name`, or null.
const Asset* FindAsset(std::string_view name);

}  // namespace keyward::console

#endif  // KEYWARD_CONSOLE_ASSETS_H_
