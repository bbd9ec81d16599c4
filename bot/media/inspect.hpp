#pragma once
// What a stored file really is: its media type sniffed from the bytes (libmagic), and for JPEG
// and PNG its dimensions and wholeness from the real decoders (libturbojpeg, libpng). MP4 and
// PDF files are checked for being whole by their framing (top-level boxes, the %%EOF trailer).
// A pure function of the file's bytes; safe on any thread.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::media {

struct facts {
    std::string type;  // e.g. "image/jpeg"
    std::optional<std::int64_t> width;
    std::optional<std::int64_t> height;
};

struct inspection {
    std::optional<facts> found;  // nullopt when the file is empty, cut off or unreadable
    std::string problem;         // why, when not found (an English sentence for the API's error)
};

inspection inspect_file(std::filesystem::path const& file);

// The families an upload may be: images, videos and PDF.
bool is_creative_type(std::string_view type);
// A Content-Type as a bare, lower-case media type: "Image/JPEG; q=1" → "image/jpeg".
std::string bare_media_type(std::string_view content_type);

}  // namespace signoff::media
