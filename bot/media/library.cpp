#include "bot/media/library.hpp"

#include "bot/core/crypto.hpp"

#include <charconv>
#include <system_error>

namespace signoff::media {

namespace fs = std::filesystem;

namespace {
constexpr auto owner_only = fs::perms::owner_read | fs::perms::owner_write;
constexpr auto owner_dir = fs::perms::owner_all;
}  // namespace

library::library(fs::path dir, std::string link_secret, std::string public_url)
    : dir_(std::move(dir)), secret_(link_secret.empty() ? crypto::random_hex(32) : std::move(link_secret)),
      public_url_(std::move(public_url)) {
    while (!public_url_.empty() && public_url_.back() == '/') public_url_.pop_back();
}

void library::open() const {
    fs::create_directories(temporary_dir());
    fs::permissions(dir_, owner_dir);
    fs::permissions(temporary_dir(), owner_dir);
    for (auto const& entry : fs::directory_iterator(temporary_dir())) {
        std::error_code ignored;
        fs::remove_all(entry.path(), ignored);
    }
}

fs::path library::temporary_dir() const { return dir_ / "tmp"; }

fs::path library::path_of(std::string_view sha256_hex) const {
    return dir_ / std::string(sha256_hex.substr(0, 2)) / std::string(sha256_hex);
}

bool library::has(std::string_view sha256_hex) const {
    std::error_code ec;
    return is_sha256_hex(sha256_hex) && fs::is_regular_file(path_of(sha256_hex), ec);
}

void library::keep(fs::path const& temporary, std::string_view sha256_hex) const {
    auto target = path_of(sha256_hex);
    std::error_code ec;
    if (fs::is_regular_file(target, ec)) {
        fs::remove(temporary, ec);
        return;
    }
    fs::create_directories(target.parent_path());
    fs::permissions(target.parent_path(), owner_dir);
    fs::permissions(temporary, owner_only);
    fs::rename(temporary, target);  // atomic within one file system: whole file or none
}

std::string library::signature(std::string_view sha256_hex, std::string_view exp) const {
    return crypto::hmac_sha256_hex(secret_, "/media/" + std::string(sha256_hex) + "?exp=" + std::string(exp));
}

std::string library::link_path(std::string_view sha256_hex, millis expires) const {
    auto exp = std::to_string(expires / ms_per_second);
    return "/media/" + std::string(sha256_hex) + "?exp=" + exp + "&sig=" + signature(sha256_hex, exp);
}

std::optional<std::string> library::public_link(std::string_view sha256_hex, millis expires) const {
    if (public_url_.empty()) return std::nullopt;
    return public_url_ + link_path(sha256_hex, expires);
}

bool library::link_valid(std::string_view sha256_hex, std::string_view exp, std::string_view sig, millis now) const {
    if (!is_sha256_hex(sha256_hex)) return false;
    std::int64_t seconds = 0;
    auto [end, ec] = std::from_chars(exp.data(), exp.data() + exp.size(), seconds);
    if (ec != std::errc{} || end != exp.data() + exp.size() || seconds < 0) return false;
    if (!crypto::constant_time_equals(sig, signature(sha256_hex, exp))) return false;
    return seconds > now / ms_per_second;
}

}  // namespace signoff::media
