#pragma once
// The content checks of SPEC §7, run on every draft revision: platform character limits,
// prohibited terms and media rules. Results warn the approver; they never block approval.
// Text must be valid UTF-8 (validated at the API edge); otherwise std::invalid_argument.

#include "config/config.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::content {

struct media_ref {
    std::string url{};
    std::string type{};                    // media (MIME) type, e.g. "image/jpeg"
    std::optional<std::uint64_t> bytes{};  // size in bytes: the stored file's, or as the submitter declared it
    bool uploaded = false;                 // the bytes are ours (POST /api/v1/media): type and size are real
    std::optional<std::int64_t> width{};   // pixels, for uploaded images
    std::optional<std::int64_t> height{};
};

// Serialised in the API as {"rule","ok","detail"}. Rule names are stable identifiers:
// "limit:<platform>", "prohibited", "media[<index>]". Details are English sentences.
struct check_result {
    std::string rule{};
    bool ok = true;
    std::string detail{};
};

// In order: one "limit:<platform>" per distinct platform that has a configured limit (X counts
// the body by x_weighted_length; weibo and wechat count title + body code points; others the
// body's code points); one "prohibited" when terms are configured; one "media[i]" per item.
std::vector<check_result> check_revision(config::content_config const& cfg, std::string_view title,
                                         std::string_view body, std::vector<std::string> const& platforms,
                                         std::vector<media_ref> const& media);

// The terms found in `text`, in the order of `terms`, each once. Matching is a substring match
// after text::fold() on both sides with every run of white space read as one space; terms
// that fold to nothing are skipped. No word boundaries: "ass" is found in "class".
std::vector<std::string> prohibited_hits(std::vector<std::string> const& terms, std::string_view text);

}  // namespace signoff::content
