#include "bot/chat/commands.hpp"

#include "bot/core/button_data.hpp"
#include "bot/core/command_words.hpp"
#include "bot/core/text.hpp"

#include <date/tz.h>
#include <utf8proc.h>

#include <array>
#include <chrono>
#include <climits>
#include <stdexcept>

namespace signoff::chat {
namespace {

constexpr std::size_t max_verb_word_bytes = 256;  // alias + glued id + "@botname" fit easily
constexpr std::size_t max_id_digits = 18;         // every 18-digit number fits std::int64_t

bool takes_item(verb v) {
    return v != verb::pending && v != verb::away && v != verb::back && v != verb::login && v != verb::help;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The code point at s[i] and its length in bytes. NB: `s` is valid UTF-8 (checked on entry).
utf8proc_int32_t code_point_at(std::string_view s, std::size_t i, std::size_t& length) {
    utf8proc_int32_t c = 0;
    length = static_cast<std::size_t>(utf8proc_iterate(reinterpret_cast<utf8proc_uint8_t const*>(s.data() + i),
                                                       static_cast<utf8proc_ssize_t>(s.size() - i), &c));
    return c;
}

// The first offset >= i whose code point is white space (want_space) or not, else s.size().
std::size_t scan(std::string_view s, std::size_t i, bool want_space) {
    while (i < s.size()) {
        std::size_t n = 0;
        if (text::is_white_space(static_cast<char32_t>(code_point_at(s, i, n))) == want_space) return i;
        i += n;
    }
    return s.size();
}
std::size_t skip_space(std::string_view s, std::size_t i) { return scan(s, i, false); }
std::size_t word_end(std::string_view s, std::size_t i) { return scan(s, i, true); }

std::string_view trim(std::string_view s) {
    std::size_t const begin = skip_space(s, 0);
    std::size_t end = begin;
    for (std::size_t i = begin; i < s.size();) {
        i = word_end(s, i);
        end = i;
        i = skip_space(s, i);
    }
    return s.substr(begin, end - begin);
}

// text::fold, with Devanagari digits (which NFKC keeps) turned into ASCII ones.
std::string fold_key(std::string_view word) {
    auto s = text::fold(word);
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 2, "\xE0\xA5") == 0 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 2]) >= 0xA6 &&
            static_cast<unsigned char>(s[i + 2]) <= 0xAF) {
            out += static_cast<char>('0' + (static_cast<unsigned char>(s[i + 2]) - 0xA6));
            i += 2;
        } else {
            out += s[i];
        }
    }
    return out;
}

enum class id_kind { none, valid, malformed };
struct id_word {
    id_kind kind = id_kind::none;
    std::int64_t value = 0;
};

// Reads a folded word as an item id. Anything starting like a number or "#" is an attempt at
// one, so it is either valid or malformed, never ordinary text.
id_word read_id(std::string_view w) {
    if (w.empty()) return {};
    bool const signed_number = (w[0] == '-' || w[0] == '+') && w.size() > 1 && (is_digit(w[1]) || w[1] == '#');
    if (w[0] != '#' && !is_digit(w[0]) && !signed_number) return {};
    if (w.front() == '#') w.remove_prefix(1);
    for (std::string_view const p : {",", ".", ":", ";", "!", "。", "、"}) {
        if (w.ends_with(p)) {
            w.remove_suffix(p.size());
            break;
        }
    }
    if (w.empty() || w.size() > max_id_digits) return {id_kind::malformed};
    std::int64_t value = 0;
    for (char const c : w) {
        if (!is_digit(c)) return {id_kind::malformed};
        value = value * 10 + (c - '0');
    }
    return {id_kind::valid, value};
}

struct verb_match {
    verb what;
    std::optional<std::int64_t> item;  // glued to the verb
    std::string tail;                  // away: what was glued to the verb ("到2026-12-01")
};

std::string_view skip_skin_tones(std::string_view s) {
    while (s.size() >= 4 && s.compare(0, 3, "\xF0\x9F\x8F") == 0 && static_cast<unsigned char>(s[3]) >= 0xBB &&
           static_cast<unsigned char>(s[3]) <= 0xBF)
        s.remove_prefix(4);
    return s;
}

std::optional<verb_match> match_verb(std::string_view first_word) {
    auto const key = fold_key(first_word);
    std::string_view word = key;
    bool const slash = word.starts_with('/');
    if (slash) {
        word.remove_prefix(1);
        if (auto const at = word.find('@'); at != std::string_view::npos) {
            // Telegram bot names are [A-Za-z0-9_]; anything else after '@' is not a mention.
            for (char const c : word.substr(at + 1))
                if (!is_digit(c) && !(c >= 'a' && c <= 'z') && c != '_') return std::nullopt;
            word = word.substr(0, at);
        }
    }
    std::optional<verb_match> best;
    std::size_t best_length = 0;
    for (auto const& a : command_words()) {
        if ((a.slash_only && !slash) || !word.starts_with(a.word) || a.word.size() <= best_length) continue;
        auto const tail = skip_skin_tones(word.substr(a.word.size()));
        verb_match m{a.what, std::nullopt, {}};
        if (!tail.empty()) {
            auto const id = read_id(tail);
            if (takes_item(a.what) && id.kind == id_kind::valid && (a.glues || tail.front() == '#')) {
                m.item = id.value;
            } else if (a.what == verb::away && a.glues &&
                       (tail.starts_with("至") || tail.starts_with("到") || is_digit(tail.front()))) {
                m.tail = tail;
            } else {
                continue;
            }
        }
        best = std::move(m);
        best_length = a.word.size();
    }
    return best;
}

// "until DATE [TIME]" ("iki" in Lithuanian), "至/到 DATE [TIME]", "DATE [TIME]" or free text, after "away".
void read_away(std::string_view args, command& c) {
    auto const a = trim(args);
    std::size_t const first_end = word_end(a, 0);
    auto const first = fold_key(a.substr(0, first_end));
    std::size_t date = 0;
    if (first == "until" || first == "iki") {
        date = skip_space(a, first_end);
    } else if (a.starts_with("至") || a.starts_with("到")) {
        date = skip_space(a, std::string_view("至").size());
    } else if (first.empty() || !is_digit(first.front())) {
        c.rest = a;
        return;
    }
    std::size_t end = word_end(a, date);
    std::size_t const next = skip_space(a, end);
    std::size_t const next_end = word_end(a, next);
    auto const time = fold_key(a.substr(next, next_end - next));
    if (!time.empty() && is_digit(time.front()) && time.find(':') != std::string::npos) end = next_end;
    c.until = std::string(a.substr(date, end - date));
    c.rest = trim(a.substr(end));
}

}  // namespace

std::optional<command> parse_command(std::string_view text) {
    if (!text::is_valid_utf8(text)) return std::nullopt;
    auto const s = trim(text);
    std::size_t const first_end = word_end(s, 0);
    if (s.empty() || first_end > max_verb_word_bytes) return std::nullopt;
    auto head = match_verb(s.substr(0, first_end));
    if (!head) return std::nullopt;
    command c{.what = head->what, .item = head->item, .rest = {}, .until = std::nullopt};
    auto after = s.substr(first_end);
    if (c.what == verb::away) {
        read_away(head->tail + " " + std::string(after), c);
        return c;
    }
    if (takes_item(c.what) && !c.item) {
        std::size_t const start = skip_space(after, 0);
        std::size_t const end = word_end(after, start);
        auto const id = read_id(fold_key(after.substr(start, end - start)));
        if (id.kind == id_kind::malformed) return std::nullopt;
        if (id.kind == id_kind::valid) {
            c.item = id.value;
            after = after.substr(end);
        }
    }
    c.rest = trim(after);
    return c;
}

std::optional<millis> parse_until(std::string_view text, std::string const& tz) {
    auto const* zone = date::locate_zone(tz);
    if (!text::is_valid_utf8(text)) return std::nullopt;
    auto const key = fold_key(text);
    auto const s = trim(key);
    if (auto const instant = parse_rfc3339(s)) return instant;

    std::size_t pos = 0;
    auto number = [&](std::size_t min_digits, std::size_t max_digits, unsigned& out) {
        std::size_t const start = pos;
        out = 0;
        while (pos < s.size() && pos - start < max_digits && is_digit(s[pos])) out = out * 10 + (s[pos++] - '0');
        return pos - start >= min_digits && (pos == s.size() || !is_digit(s[pos]));
    };
    auto literal = [&](char c) { return pos < s.size() && s[pos] == c ? (++pos, true) : false; };
    unsigned year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!number(4, 4, year) || pos >= s.size() || (s[pos] != '-' && s[pos] != '/')) return std::nullopt;
    char const separator = s[pos++];
    if (!number(1, 2, month) || !literal(separator) || !number(1, 2, day)) return std::nullopt;
    if (pos < s.size()) {
        if (!literal('t')) {
            std::size_t const time = skip_space(s, pos);
            if (time == pos) return std::nullopt;
            pos = time;
        }
        if (!number(1, 2, hour) || !literal(':') || !number(2, 2, minute)) return std::nullopt;
        if (literal(':') && !number(2, 2, second)) return std::nullopt;
        if (pos != s.size()) return std::nullopt;
    }
    date::year_month_day const ymd{date::year{static_cast<int>(year)}, date::month{month}, date::day{day}};
    if (!ymd.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
    using namespace std::chrono;
    auto const local = date::local_days{ymd} + hours{hour} + minutes{minute} + seconds{second};
    auto const utc = zone->to_sys(local, date::choose::earliest);
    return duration_cast<milliseconds>(utc.time_since_epoch()).count();
}

std::string encode_button(button_action const& b) {
    switch (b.what) {
        case verb::approve: return buttons::encode({buttons::decision::approve, b.item, b.revision});
        case verb::reject: return buttons::encode({buttons::decision::reject, b.item, b.revision});
        case verb::changes: return buttons::encode({buttons::decision::changes, b.item, b.revision});
        default: throw std::invalid_argument("encode_button: only approve, reject and changes have buttons");
    }
}

std::optional<button_action> decode_button(std::string_view data) {
    auto const b = buttons::decode(data);
    if (!b) return std::nullopt;
    verb const what = b->what == buttons::decision::approve  ? verb::approve
                      : b->what == buttons::decision::reject ? verb::reject
                                                             : verb::changes;
    return button_action{what, b->item, b->revision};
}

}  // namespace signoff::chat
