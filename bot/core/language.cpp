#include "bot/core/language.hpp"

#include <cctype>
#include <string>

namespace signoff::languages {
namespace {

bool same_tag(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    auto norm = [](char c) { return c == '_' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    for (std::size_t i = 0; i < a.size(); ++i)
        if (norm(a[i]) != norm(b[i])) return false;
    return true;
}

bool is_alias(std::string_view aliases, std::string_view tag) {
    while (!aliases.empty()) {
        auto const end = aliases.find(' ');
        if (same_tag(aliases.substr(0, end), tag)) return true;
        if (end == std::string_view::npos) break;
        aliases.remove_prefix(end + 1);
    }
    return false;
}

}  // namespace

std::optional<std::size_t> find(std::string_view tag) {
    auto const table = all();
    for (std::size_t i = 0; i < table.size(); ++i)
        if (same_tag(table[i].tag, tag) || is_alias(table[i].aliases, tag)) return i;
    return std::nullopt;
}

std::size_t closest(std::string_view hint) {
    while (!hint.empty()) {
        if (auto const found = find(hint)) return *found;
        auto const cut = hint.find_last_of("-_");
        if (cut == std::string_view::npos) break;
        hint = hint.substr(0, cut);
    }
    return 0;
}

std::string_view accepted_list() {
    static std::string const list = [] {
        std::string out;
        for (auto const& l : all()) {
            if (!out.empty()) out += ", ";
            out += l.tag;
            if (l.aliases.empty()) continue;
            out += " (";
            for (char const c : l.aliases) out += c == ' ' ? std::string(", ") : std::string(1, c);
            out += ")";
        }
        return out;
    }();
    return list;
}

}  // namespace signoff::languages
