#pragma once
// The languages signoff speaks (bot/messages/po/LINGUAS, compiled into the binary), and how a
// BCP 47 tag picks one. Tags compare case-insensitively, with "_" read as "-".

#include <optional>
#include <span>
#include <string_view>

namespace signoff::languages {

struct language {
    std::string_view tag;        // canonical BCP 47 tag: "en", "zh-Hans"
    std::string_view aliases;    // other tags for it, space-separated: "zh zh-CN"
    std::string_view catalogue;  // its compiled gettext catalogue (.mo bytes)
};

// Every language, in LINGUAS order; the first is the default.
std::span<language const> all();

// The index in all() of a supported tag or alias ("zh-TW" → zh-Hant); nullopt for any other.
// This is what a person's configured `language` must be.
std::optional<std::size_t> find(std::string_view tag);

// The index in all() closest to a client's language hint: find() of the tag, else of the tag
// with its last subtags dropped ("zh-Hant-TW", "hi-IN"), else the default (0).
std::size_t closest(std::string_view hint);

// "en, hi, zh-Hans (zh, zh-CN), …": the accepted tags, for error messages.
std::string_view accepted_list();

}  // namespace signoff::languages
