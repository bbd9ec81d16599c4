#include "bot/outbox/creatives.hpp"

#include "bot/core/crypto.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace signoff;
using nlohmann::json;

namespace {

// A channel that uploads creatives of up to 10 bytes.
struct small_channel final : channels::channel {
    std::string_view name() const override { return "test"; }
    bool active() const override { return true; }
    channels::rate rate() const override { return {}; }
    std::optional<std::uint64_t> upload_limit(std::string_view) const override { return 10; }
    channels::rendering render(channels::delivery const&) const override { return {}; }
    chat::send_result read_result(int, std::string const&) const override { return {}; }
};

struct no_media_channel final : channels::channel {
    std::string_view name() const override { return "plain"; }
    bool active() const override { return true; }
    channels::rate rate() const override { return {}; }
    channels::rendering render(channels::delivery const&) const override { return {}; }
    chat::send_result read_result(int, std::string const&) const override { return {}; }
};

json store(media::library const& library, std::string const& bytes, std::string const& type) {
    auto const hex = crypto::sha256_hex(bytes);
    std::filesystem::create_directories(library.path_of(hex).parent_path());
    std::ofstream(library.path_of(hex), std::ios::binary) << bytes;
    return {{"id", "sha256:" + hex}, {"type", type}, {"bytes", bytes.size()}};
}

}  // namespace

TEST_CASE("A card's creatives are read for its channel at send time", "[outbox][creatives]") {
    test::temp_dir dir;
    small_channel ch;
    millis const now = 1790000000000;

    SECTION("without a public URL: small ones by their bytes, large ones said to be too large, missing ones left out") {
        media::library library(dir.path() / "media", "secret", "");
        library.open();
        auto small = store(library, "tiny", "image/jpeg");
        auto large = store(library, "far too many bytes", "application/pdf");
        json missing = {{"id", "sha256:" + crypto::sha256_hex("gone")}, {"type", "image/png"}};
        json external = {{"url", "https://cdn.example.org/a.mp4"}, {"type", "video/mp4"}, {"bytes", 99}};
        auto out = prepare_creatives(json::array({small, large, missing, external}), library, ch, 7, now);
        REQUIRE(out.creatives.size() == 2);
        CHECK(out.too_large);
        CHECK(out.creatives[0].bytes == "tiny");
        CHECK(out.creatives[0].type == "image/jpeg");
        CHECK(out.creatives[0].name == "creative-1.jpg");
        CHECK(out.creatives[0].url.empty());
        CHECK_FALSE(out.creatives[1].bytes);
        CHECK(out.creatives[1].url == "https://cdn.example.org/a.mp4");
    }
    SECTION("with a public URL every stored one has a signed link, and a large one goes by it alone") {
        media::library library(dir.path() / "media", "secret", "https://signoff.example.org");
        library.open();
        auto large = store(library, "far too many bytes", "application/pdf");
        auto out = prepare_creatives(json::array({large}), library, ch, 7, now);
        REQUIRE(out.creatives.size() == 1);
        CHECK_FALSE(out.too_large);
        CHECK_FALSE(out.creatives[0].bytes);
        CHECK(out.creatives[0].url.starts_with("https://signoff.example.org/media/"));
    }
    SECTION("a channel that shows no creatives gets none") {
        media::library library(dir.path() / "media", "secret", "");
        library.open();
        no_media_channel plain;
        CHECK(prepare_creatives(json::array({store(library, "tiny", "image/jpeg")}), library, plain, 7, now).creatives.empty());
    }
}

TEST_CASE("Creatives are the same when their ids or URLs are, in order", "[outbox][creatives]") {
    json a = {{"id", "sha256:aa"}, {"type", "image/jpeg"}, {"width", 1}};
    json b = {{"id", "sha256:bb"}, {"type", "image/jpeg"}};
    json url = {{"url", "https://x/y.png"}, {"type", "image/png"}};
    CHECK(same_creatives(json::array({a, url}), json::array({{{"id", "sha256:aa"}}, url})));
    CHECK_FALSE(same_creatives(json::array({a}), json::array({b})));
    CHECK_FALSE(same_creatives(json::array({a, b}), json::array({b, a})));
    CHECK_FALSE(same_creatives(json::array({a}), json::array()));
    CHECK(same_creatives(json::array(), json::array()));
}
