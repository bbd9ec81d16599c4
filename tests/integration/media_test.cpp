// Uploaded creatives through the real server: POST /api/v1/media, the checks on the stored
// bytes, signed links, and what a crash mid-upload leaves.

#include "integration/server_fixture.hpp"
#include "support/media_files.hpp"

#include "bot/core/crypto.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <thread>

using namespace signoff::test;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

response upload(http_client& c, std::string const& bytes, std::string const& type) {
    return c.request("POST", "/api/v1/media", bytes, {{"Content-Type", type}});
}

std::string id_of(std::string const& bytes) { return "sha256:" + signoff::crypto::sha256_hex(bytes); }

// Every regular file under the media directory (the temporary one included).
std::vector<fs::path> files_under(fs::path const& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    if (!fs::exists(dir, ec)) return out;
    for (auto const& e : fs::recursive_directory_iterator(dir))
        if (e.is_regular_file()) out.push_back(e.path());
    return out;
}

json check_named(json const& item, std::string const& rule) {
    for (auto const& c : item["checks"])
        if (c["rule"] == rule) return c;
    return nullptr;
}

std::string link_of(json const& media_entry) { return media_entry["link"].get<std::string>(); }

}  // namespace

TEST_CASE("Uploads are stored under their SHA-256 with the type and size of their real bytes", "[integration][media]") {
    running_server server;
    fs::path const media_dir = server.db_path + ".media";
    auto jpeg = make_jpeg(64, 48), png = make_png(30, 20), mp4 = make_mp4(), pdf = make_pdf();

    struct expected {
        std::string bytes, type;
        json width, height;
    };
    for (auto const& e : {expected{jpeg, "image/jpeg", 64, 48}, expected{png, "image/png", 30, 20},
                          expected{mp4, "video/mp4", nullptr, nullptr}, expected{pdf, "application/pdf", nullptr, nullptr}}) {
        auto r = upload(server.agency, e.bytes, e.type);
        INFO(e.type << ": " << r);
        REQUIRE(r.status == 201);
        auto body = r.json();
        CHECK(body["id"] == id_of(e.bytes));
        CHECK(body["type"] == e.type);
        CHECK(body["bytes"] == e.bytes.size());
        CHECK(body["width"] == e.width);
        CHECK(body["height"] == e.height);
        auto hex = signoff::crypto::sha256_hex(e.bytes);
        auto stored = media_dir / hex.substr(0, 2) / hex;
        REQUIRE(fs::is_regular_file(stored));
        CHECK(fs::file_size(stored) == e.bytes.size());
        CHECK((fs::status(stored).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);
    }
    SECTION("the same bytes again answer the same id") {
        auto again = upload(server.agency, png, "image/png");
        CHECK(again.status == 201);
        CHECK(again.json()["id"] == id_of(png));
        CHECK(files_under(media_dir).size() == 4);
    }
    SECTION("a draft with uploaded creatives carries their real type, size and dimensions, and a link that serves them") {
        auto created = server.agency.post_json(
            "/api/v1/items", draft_body("Poster", {{"media", {{{"id", id_of(png)}}, {{"id", id_of(mp4)}}}}}));
        INFO(created);
        REQUIRE(created.status == 201);
        auto item = created.json();
        CHECK(item["media"][0] == json({{"id", id_of(png)}, {"type", "image/png"}, {"bytes", png.size()},
                                        {"width", 30}, {"height", 20}}));
        CHECK(item["media"][1]["type"] == "video/mp4");
        auto detail = server.agency.get("/api/v1/items/" + std::to_string(item["id"].get<long>()));
        REQUIRE(detail.status == 200);
        auto got = detail.json();
        auto link = link_of(got["media"][0]);
        CHECK(link.starts_with("/media/"));
        CHECK(link_of(got["revisions"][0]["media"][0]) .starts_with("/media/"));

        http_client stranger(server.process->port());  // no key: the link is the credential
        auto served = stranger.get(link);
        REQUIRE(served.status == 200);
        CHECK(served.header("Content-Type") == "image/png");
        CHECK(served.body == png);

        auto video = stranger.get(link_of(got["media"][1]), {{"Range", "bytes=100-199"}});
        REQUIRE(video.status == 206);
        CHECK(video.body == mp4.substr(100, 100));
        CHECK(video.header("Content-Range") == "bytes 100-199/" + std::to_string(mp4.size()));
        auto tail = stranger.get(link_of(got["media"][1]), {{"Range", "bytes=-10"}});
        CHECK(tail.status == 206);
        CHECK(tail.body == mp4.substr(mp4.size() - 10));
        auto past = stranger.get(link_of(got["media"][1]), {{"Range", "bytes=999999-"}});
        CHECK(past.status == 416);

        SECTION("a forged, altered or expired link is 403") {
            auto forged = link;
            forged.back() = forged.back() == '0' ? '1' : '0';
            CHECK(stranger.get(forged).status == 403);
            auto other = "/media/" + signoff::crypto::sha256_hex(mp4) + link.substr(link.find('?'));
            CHECK(stranger.get(other).status == 403);  // a signature is for one file
            auto exp_at = link.find("exp=") + 4;
            auto later = link;
            later.replace(exp_at, link.find('&') - exp_at, "99999999999");
            CHECK(stranger.get(later).status == 403);  // a longer life is not in the signature
            auto expired = link;
            expired.replace(exp_at, link.find('&') - exp_at, "1000");
            CHECK(stranger.get(expired).status == 403);
            CHECK(stranger.get("/media/" + signoff::crypto::sha256_hex(png)).status == 403);
            CHECK(stranger.get("/media/..%2F..%2Fsignoff.db?exp=99999999999&sig=00").status == 403);
        }
    }
    SECTION("an id nothing was uploaded as is 422 and stores nothing") {
        auto unknown = server.agency.post_json(
            "/api/v1/items", draft_body("Poster", {{"media", {{{"id", id_of("never uploaded")}}}}}));
        CHECK(unknown.status == 422);
        CHECK(unknown.json()["error"]["code"] == "unknown_media");
        CHECK(unknown.json()["error"]["field"] == "media[0].id");
        auto malformed = server.agency.post_json("/api/v1/items", draft_body("Poster", {{"media", {{{"id", "sha256:xyz"}}}}}));
        CHECK(malformed.status == 400);
        CHECK(server.agency.get("/api/v1/items").json()["items"].empty());
    }
}

TEST_CASE("The JPEG size rule of the demo configuration is checked on the real file", "[integration][media]") {
    running_server server;  // content.media image/jpeg: 1 MB to 5 MB
    auto big = make_jpeg(1000, 900, true);  // random pixels: well over 1 MB
    auto small = make_jpeg(200, 100);
    REQUIRE(big.size() > 1048576);
    REQUIRE(big.size() < 5242880);
    for (auto const* bytes : {&big, &small}) REQUIRE(upload(server.agency, *bytes, "image/jpeg").status == 201);

    auto with_big = server.agency.post_json("/api/v1/items", draft_body("Big", {{"media", {{{"id", id_of(big)}}}}}));
    REQUIRE(with_big.status == 201);
    auto ok = check_named(with_big.json(), "media[0]");
    INFO(ok);
    CHECK(ok["ok"] == true);
    CHECK(ok["detail"].get<std::string>().find("1000×900 px") != std::string::npos);

    auto with_small = server.agency.post_json("/api/v1/items", draft_body("Small", {{"media", {{{"id", id_of(small)}}}}}));
    REQUIRE(with_small.status == 201);
    auto failed = check_named(with_small.json(), "media[0]");
    INFO(failed);
    CHECK(failed["ok"] == false);
    CHECK(failed["detail"].get<std::string>().find("below the minimum") != std::string::npos);

    SECTION("a declared size no longer fools the rule: uploaded entries take the stored size") {
        auto lying = server.agency.post_json(
            "/api/v1/items", draft_body("Small", {{"media", {{{"id", id_of(small)}, {"bytes", 2000000}}}}}));
        CHECK(lying.status == 400);  // an uploaded creative is given by its id alone
    }
}

TEST_CASE("Pixel bounds of content.media apply to uploaded images", "[integration][media]") {
    running_server server([](json& cfg) {
        cfg["content"]["media"]["image/png"] = {{"min_width", 100}, {"max_height", 50}};
    });
    auto narrow = make_png(60, 40), fine = make_png(120, 40), tall = make_png(120, 80);
    for (auto const* bytes : {&narrow, &fine, &tall}) REQUIRE(upload(server.agency, *bytes, "image/png").status == 201);
    auto item = server.agency
                    .post_json("/api/v1/items", draft_body("Sizes", {{"media", {{{"id", id_of(narrow)}},
                                                                                {{"id", id_of(fine)}},
                                                                                {{"id", id_of(tall)}}}}}))
                    .json();
    INFO(item["checks"]);
    CHECK(check_named(item, "media[0]")["ok"] == false);
    CHECK(check_named(item, "media[0]")["detail"].get<std::string>().find("narrower") != std::string::npos);
    CHECK(check_named(item, "media[1]")["ok"] == true);
    CHECK(check_named(item, "media[2]")["ok"] == false);
    CHECK(check_named(item, "media[2]")["detail"].get<std::string>().find("taller") != std::string::npos);
}

TEST_CASE("Bad uploads get a clear error and leave nothing stored", "[integration][media][bad-input]") {
    running_server server([](json& cfg) { cfg["media"] = {{"max_upload_bytes", 200000}}; });
    fs::path const media_dir = server.db_path + ".media";
    auto png = make_png(30, 20), jpeg = make_jpeg(64, 48);

    auto code_of = [](response const& r) { return r.json()["error"]["code"].get<std::string>(); };
    SECTION("a PNG that says it is a JPEG") {
        auto r = upload(server.agency, png, "image/jpeg");
        CHECK(r.status == 422);
        CHECK(code_of(r) == "media_type_mismatch");
        CHECK(r.json()["error"]["message"].get<std::string>().find("image/png") != std::string::npos);
    }
    SECTION("text that says it is an image") {
        auto r = upload(server.agency, "just some words, not a picture at all\n", "image/jpeg");
        CHECK(r.status == 422);
        CHECK(code_of(r) == "media_type_mismatch");
    }
    SECTION("an empty body") {
        auto r = upload(server.agency, "", "image/jpeg");
        CHECK(r.status == 422);
        CHECK(code_of(r) == "empty_media");
    }
    SECTION("a cut-off JPEG, PNG, MP4 and PDF") {
        auto mp4 = make_mp4(), pdf = make_pdf();
        for (auto const& [bytes, type] : {std::pair{jpeg, "image/jpeg"}, std::pair{png, "image/png"},
                                          std::pair{mp4, "video/mp4"}, std::pair{pdf, "application/pdf"}}) {
            auto r = upload(server.agency, bytes.substr(0, bytes.size() * 2 / 3), type);
            INFO(type << ": " << r);
            CHECK(r.status == 422);
            CHECK(code_of(r) == "unreadable_media");
        }
    }
    SECTION("a missing or non-media Content-Type") {
        auto none = server.agency.request("POST", "/api/v1/media", png);
        CHECK(none.status == 415);
        auto text = upload(server.agency, png, "text/plain");
        CHECK(text.status == 415);
    }
    SECTION("no key, or a key without the submit scope") {
        http_client anonymous(server.process->port());
        CHECK(anonymous.request("POST", "/api/v1/media", png, {{"Content-Type", "image/png"}}).status == 401);
    }
    SECTION("a body over media.max_upload_bytes, declared or chunked") {
        auto big = make_jpeg(600, 500, true);
        REQUIRE(big.size() > 200000);
        auto declared = upload(server.agency, big, "image/jpeg");
        CHECK(declared.status == 413);
        std::string chunked = "POST /api/v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(agency_key) +
                              "\r\nContent-Type: image/jpeg\r\nTransfer-Encoding: chunked\r\n\r\n";
        for (std::size_t at = 0; at < big.size(); at += 50000) {
            auto piece = big.substr(at, 50000);
            char size[16];
            std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
            chunked += size + piece + "\r\n";
        }
        chunked += "0\r\n\r\n";
        auto answer = raw_exchange(server.process->port(), chunked, std::chrono::seconds(5));
        CHECK(answer.starts_with("HTTP/1.1 413"));
    }
    CHECK(files_under(media_dir).empty());
    CHECK(server.agency.get("/healthz").status == 200);
}

TEST_CASE("A crash during an upload leaves no file and no row", "[integration][media][durability]") {
    running_server server;
    fs::path const media_dir = server.db_path + ".media";
    auto jpeg = make_jpeg(1000, 900, true);
    auto const half = jpeg.size() / 2;
    std::string head = "POST /api/v1/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + std::string(agency_key) +
                       "\r\nContent-Type: image/jpeg\r\nContent-Length: " + std::to_string(jpeg.size()) + "\r\n\r\n";
    // Half the file is sent, and the connection held open while the server is killed.
    std::thread sender([&] { raw_exchange(server.process->port(), head + jpeg.substr(0, half), std::chrono::seconds(10)); });
    auto const until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::uintmax_t spooled = 0;
    while (std::chrono::steady_clock::now() < until && spooled < half) {
        for (auto const& f : files_under(media_dir / "tmp")) spooled = std::max(spooled, fs::file_size(f));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(spooled == half);  // the upload was in progress, on disk
    server.kill_and_restart();
    sender.join();

    CHECK(files_under(media_dir).empty());
    auto item = server.agency.post_json("/api/v1/items", draft_body("Poster", {{"media", {{{"id", id_of(jpeg)}}}}}));
    CHECK(item.status == 422);
    CHECK(item.json()["error"]["code"] == "unknown_media");

    auto whole = upload(server.agency, jpeg, "image/jpeg");
    CHECK(whole.status == 201);
    CHECK(files_under(media_dir).size() == 1);
}
