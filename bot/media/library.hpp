#pragma once
// Where uploaded creatives live on disk and how outsiders reach them: content-addressed files
// under media.dir (dir/ab/abcdef…, 0600), finished uploads renamed into place so a crash never
// leaves half a file under a hash, and signed links (SPEC §5 `GET /media/{sha256}?exp=&sig=`)
// that platforms fetch.

#include "bot/core/time.hpp"
#include "bot/media/media_id.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace signoff::media {

// How long a link on a card stays valid: platforms fetch at once, people may open it later.
inline constexpr millis link_lifetime = 7 * 24 * ms_per_hour;

class library {
public:
    // link_secret: the HMAC key of links; empty draws a random one (links then end with the process).
    // public_url: server.public_url, without which no absolute link can be made.
    library(std::filesystem::path dir, std::string link_secret, std::string public_url);

    // Creates the directories (0700) and deletes temporary files a crash left. Throws
    // std::filesystem::filesystem_error when the directory cannot be made.
    void open() const;

    std::filesystem::path const& dir() const { return dir_; }
    std::filesystem::path temporary_dir() const;  // uploads in progress; emptied by open()
    std::filesystem::path path_of(std::string_view sha256_hex) const;
    bool has(std::string_view sha256_hex) const;

    // Moves a finished, checked upload into place under its hash, readable by the owner only.
    // When the same bytes are already stored the temporary file is removed instead.
    void keep(std::filesystem::path const& temporary, std::string_view sha256_hex) const;

    // "/media/<hex>?exp=<unix seconds>&sig=<hex>", valid until `expires`.
    std::string link_path(std::string_view sha256_hex, millis expires) const;
    // server.public_url + link_path; nullopt without a public_url.
    std::optional<std::string> public_link(std::string_view sha256_hex, millis expires) const;
    // Whether exp and sig are those of a link this server made for the hash, unexpired at `now`.
    bool link_valid(std::string_view sha256_hex, std::string_view exp, std::string_view sig, millis now) const;

private:
    std::string signature(std::string_view sha256_hex, std::string_view exp) const;

    std::filesystem::path dir_;
    std::string secret_;
    std::string public_url_;
};

}  // namespace signoff::media
