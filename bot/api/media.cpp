// POST /api/v1/media (an upload, streamed to disk and checked on its real bytes) and
// GET /media/{sha256} (the stored bytes, to whoever holds a link this server signed).

#include "bot/api/auth.hpp"
#include "bot/api/routes.hpp"
#include "bot/core/api_error.hpp"
#include "bot/core/log.hpp"
#include "bot/media/inspect.hpp"
#include "store/media.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <filesystem>

namespace signoff {

namespace {

using boost::asio::awaitable;

// The declared type of an upload, checked with its head so a wrong one is refused unread.
std::string declared_type(http_request const& req) {
    auto header = req.header("Content-Type");
    auto type = header ? media::bare_media_type(*header) : std::string();
    if (type.empty())
        throw api_error(415, "unsupported_media_type",
                        "send the file's own media type as Content-Type, e.g. image/jpeg, image/png, video/mp4 or "
                        "application/pdf");
    if (!media::is_creative_type(type))
        throw api_error(415, "unsupported_media_type",
                        "an upload is an image, a video or a PDF; Content-Type " + type + " is none of these");
    return type;
}

nlohmann::json upload_json(store::media_record const& m) {
    return {{"id", media::media_id(m.sha256)},
            {"type", m.type},
            {"bytes", m.bytes},
            {"width", m.width ? nlohmann::json(*m.width) : nlohmann::json(nullptr)},
            {"height", m.height ? nlohmann::json(*m.height) : nlohmann::json(nullptr)}};
}

awaitable<http_response> upload(app& a, key_rate_limits& limits, http_request const& req) {
    auto const& key = authorise(a, req, "submit");
    limits.take(key, key_rate_limits::kind::change, a.clk.now());
    auto const declared = declared_type(req);
    if (!req.spooled || req.spooled->bytes == 0) throw api_error(422, "empty_media", "the upload has no bytes", "body");
    auto const& file = *req.spooled;
    // Decoding a large image takes a while: off the I/O threads.
    auto seen = co_await boost::asio::co_spawn(
        a.bulk, [&]() -> awaitable<media::inspection> { co_return media::inspect_file(file.file); },
        boost::asio::use_awaitable);
    if (!seen.found) throw api_error(422, "unreadable_media", seen.problem, "body");
    if (!media::is_creative_type(seen.found->type))
        throw api_error(422, "media_type_mismatch",
                        "the bytes are " + seen.found->type + ", not an image, a video or a PDF", "Content-Type");
    if (seen.found->type != declared)
        throw api_error(422, "media_type_mismatch",
                        "Content-Type says " + declared + ", but the bytes are " + seen.found->type, "Content-Type");
    store::media_record record{file.sha256_hex, seen.found->type, file.bytes, seen.found->width, seen.found->height,
                               key.name,        a.clk.now()};
    // The file is in place before its row exists: a crash between leaves a file that the same
    // upload, repeated, finds and records; never a row without its bytes.
    a.media.keep(file.file, file.sha256_hex);
    co_await a.writer.write([&](store::write_tx& tx) { store::insert_media(tx.db, record); });
    log::info("media.uploaded", {{"id", media::media_id(record.sha256)}, {"type", record.type},
                                 {"bytes", record.bytes}, {"key", key.name}});
    co_return json_response(201, upload_json(record));
}

awaitable<http_response> serve_media(app& a, http_request const& req, route_params const& p) {
    auto const& hex = p["sha256"];
    auto exp = req.query("exp"), sig = req.query("sig");
    if (!exp || !sig || !a.media.link_valid(hex, *exp, *sig, a.clk.now()))
        throw api_error(403, "forbidden", "this media link is wrong or has expired; ask for a new one");
    auto record = a.readers.with([&](sqlite::database& db) { return store::find_media(db, hex); });
    std::error_code ec;
    auto const path = a.media.path_of(hex);
    auto const size = std::filesystem::file_size(path, ec);
    if (!record || ec) throw api_error(404, "not_found", "no stored media " + media::media_id(hex));

    http_response r;
    r.content_type = record->type;
    r.headers = {{"Accept-Ranges", "bytes"},
                 {"ETag", "\"" + hex + "\""},
                 {"Cache-Control", "private, max-age=3600"},
                 {"X-Content-Type-Options", "nosniff"}};
    auto range = parse_range(req.header("Range"), size);
    if (range.what == range_request::kind::unsatisfiable) {
        auto e = error_response(416, "range_not_satisfiable", "the file has " + std::to_string(size) + " bytes");
        e.headers.emplace_back("Content-Range", "bytes */" + std::to_string(size));
        co_return e;
    }
    if (range.what == range_request::kind::part) {
        r.status = 206;
        r.headers.emplace_back("Content-Range", "bytes " + std::to_string(range.range.first) + "-" +
                                                    std::to_string(range.range.first + range.range.length - 1) + "/" +
                                                    std::to_string(size));
        r.file = file_slice{path, range.range.first, range.range.length};
    } else {
        r.file = file_slice{path, 0, size};
    }
    co_return r;
}

}  // namespace

void add_media_links(nlohmann::json& media, app const& a) {
    if (!media.is_array()) return;
    auto const expires = a.clk.now() + media::link_lifetime;
    for (auto& m : media) {
        if (!m.is_object() || !m.contains("id")) continue;
        auto hex = media::parse_media_id(m["id"].get<std::string>());
        if (!hex) continue;
        m["link"] = a.media.public_link(*hex, expires).value_or(a.media.link_path(*hex, expires));
    }
}

void add_media_routes(router& routes, app& a, shared_limits limits) {
    auto check = [&a](http_request const& head) {
        authorise(a, head, "submit");
        declared_type(head);
    };
    routes.add("POST", "/api/v1/media",
               [&a, limits](http_request const& req, route_params const&) { return upload(a, *limits, req); }, check,
               body_spool{a.media.temporary_dir(), a.cfg.media.max_upload_bytes});
    routes.add("GET", "/media/{sha256}",
               [&a](http_request const& req, route_params const& p) { return serve_media(a, req, p); });
}

}  // namespace signoff
