#pragma once
// The uploaded creatives' records: type, size and dimensions of the bytes stored under their
// SHA-256 (the files themselves are bot/media's).

#include "bot/core/time.hpp"
#include "store/sqlite.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace signoff::store {

struct media_record {
    std::string sha256;  // lowercase hex
    std::string type;    // sniffed from the bytes
    std::uint64_t bytes = 0;
    std::optional<std::int64_t> width;   // images only
    std::optional<std::int64_t> height;
    std::string uploaded_by;  // API key name of the first upload
    millis uploaded_at = 0;
};

// Records an upload; the same bytes uploaded again keep their first record.
void insert_media(sqlite::database& db, media_record const& m);
std::optional<media_record> find_media(sqlite::database& db, std::string const& sha256);

}  // namespace signoff::store
