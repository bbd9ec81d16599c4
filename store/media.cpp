#include "store/media.hpp"

namespace signoff::store {

void insert_media(sqlite::database& db, media_record const& m) {
    db.prepare("INSERT INTO media (sha256, type, bytes, width, height, uploaded_by, uploaded_ms) "
               "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING")
        .bind(m.sha256, m.type, static_cast<std::int64_t>(m.bytes), m.width, m.height, m.uploaded_by, m.uploaded_at)
        .run();
}

std::optional<media_record> find_media(sqlite::database& db, std::string const& sha256) {
    auto stmt = db.prepare("SELECT type, bytes, width, height, uploaded_by, uploaded_ms FROM media WHERE sha256 = ?");
    stmt.bind(sha256);
    if (!stmt.step()) return std::nullopt;
    return media_record{sha256,
                        stmt.column_text(0),
                        static_cast<std::uint64_t>(stmt.column_int(1)),
                        stmt.column_optional_int(2),
                        stmt.column_optional_int(3),
                        stmt.column_text(4),
                        stmt.column_int(5)};
}

}  // namespace signoff::store
