#include "bot/core/word_diff.hpp"

#include "bot/core/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace signoff {
namespace {

struct token {
    std::string_view text;
    bool space_before = false;  // white space separated it from the previous token
    bool solo = false;          // a CJK character, written without spaces
};

// Scripts written without spaces: each character is a token, so a one-character change stays small.
bool is_solo(utf8proc_int32_t c) {
    return (c >= 0x2E80 && c <= 0x2FDF) ||  // CJK radicals
           (c >= 0x3001 && c <= 0x303F) ||  // CJK punctuation (U+3000 is white space)
           (c >= 0x3040 && c <= 0x30FF) ||  // hiragana, katakana
           (c >= 0x3400 && c <= 0x4DBF) ||  // extension A
           (c >= 0x4E00 && c <= 0x9FFF) ||  // unified ideographs
           (c >= 0xF900 && c <= 0xFAFF) ||  // compatibility ideographs
           (c >= 0xFF00 && c <= 0xFF65) ||  // full-width forms: ，！？（）
           (c >= 0x20000 && c <= 0x3134F);  // extensions B–G
}

std::vector<token> tokenize(std::string_view s) {
    std::vector<token> out;
    auto const* bytes = reinterpret_cast<utf8proc_uint8_t const*>(s.data());
    std::size_t start = std::string_view::npos;  // of the word being read
    bool space = false;
    auto close = [&](std::size_t end) {
        if (start == std::string_view::npos) return;
        out.push_back({s.substr(start, end - start), space});
        start = std::string_view::npos;
        space = false;
    };
    for (std::size_t i = 0; i < s.size();) {
        utf8proc_int32_t c = 0;
        auto const n = utf8proc_iterate(bytes + i, static_cast<utf8proc_ssize_t>(s.size() - i), &c);
        if (n < 0 || (c >= 0xD800 && c <= 0xDFFF)) throw std::invalid_argument("text is not valid UTF-8");
        auto const len = static_cast<std::size_t>(n);
        if (text::is_white_space(static_cast<char32_t>(c))) {
            close(i);
            space = !out.empty();
        } else if (is_solo(c)) {
            close(i);
            out.push_back({s.substr(i, len), space, true});
            space = false;
        } else if (start == std::string_view::npos) {
            start = i;
        }
        i += len;
    }
    close(s.size());
    return out;
}

enum class op_kind : std::uint8_t { equal, del, ins, del_more, ins_more };  // *_more: "…" for an abbreviated side

struct op {
    op_kind kind;
    std::size_t index;  // into `before` for equal and del, into `after` for ins
    std::size_t other;  // equal: the index into `after`
};

// Edit script of a[a0,a1) against b[b0,b1) by a suffix LCS table; ties delete first.
void lcs_script(std::vector<int> const& a, std::vector<int> const& b, std::size_t a0, std::size_t a1, std::size_t b0,
                std::size_t b1, std::vector<op>& out) {
    std::size_t const n = a1 - a0, m = b1 - b0, w = m + 1;
    // NB: n × m ≤ diff_max_cells, so min(n, m) ≤ 2000 and lengths fit in 16 bits.
    std::vector<std::uint16_t> len((n + 1) * w, 0);
    for (std::size_t i = n; i-- > 0;)
        for (std::size_t j = m; j-- > 0;)
            len[i * w + j] = a[a0 + i] == b[b0 + j] ? static_cast<std::uint16_t>(len[(i + 1) * w + j + 1] + 1)
                                                    : std::max(len[(i + 1) * w + j], len[i * w + j + 1]);
    std::size_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a[a0 + i] == b[b0 + j]) {
            out.push_back({op_kind::equal, a0 + i++, b0 + j++});
        } else if (i < n && (j == m || len[(i + 1) * w + j] >= len[i * w + j + 1])) {
            out.push_back({op_kind::del, a0 + i++, 0});
        } else {
            out.push_back({op_kind::ins, b0 + j++, 0});
        }
    }
}

class renderer {
  public:
    renderer(std::vector<token> const& a, std::vector<token> const& b, std::vector<op> const& ops)
        : a_(a), b_(b), ops_(ops) {}

    // Ops [from, to) with their changes grouped into one deletion and one insertion per run.
    void hunk(std::size_t from, std::size_t to) {
        if (!out_.empty())
            out_ += " … ";
        else if (from > 0)
            out_ += "…";
        first_ = true;
        for (std::size_t k = from; k < to;) {
            if (ops_[k].kind == op_kind::equal) {
                piece(b_[ops_[k].other]);
                ++k;
                continue;
            }
            std::vector<token> dels, inss;
            for (; k < to && ops_[k].kind != op_kind::equal; ++k)
                (is_del(ops_[k].kind) ? dels : inss).push_back(token_of(ops_[k]));
            block(dels, "[-", "-]", false);
            // "[-old-] {+new+}" reads as a replacement; CJK keeps it tight: "[-四-]{+五+}".
            bool const tight =
                !dels.empty() && !inss.empty() && dels.back().solo && inss.front().solo && !inss.front().space_before;
            block(inss, "{+", "+}", !dels.empty() && !tight);
        }
    }

    std::string finish(bool cut_at_end) {
        if (cut_at_end) out_ += "…";
        return std::move(out_);
    }

  private:
    static bool is_del(op_kind k) { return k == op_kind::del || k == op_kind::del_more; }

    token token_of(op const& o) const {
        if (o.kind == op_kind::del_more || o.kind == op_kind::ins_more) return {"…", true, false};
        return o.kind == op_kind::ins ? b_[o.index] : a_[o.index];
    }

    void separator(bool space) {
        if (!first_ && space) out_ += ' ';
        first_ = false;
    }

    void piece(token const& t) {
        separator(t.space_before);
        out_ += t.text;
    }

    void block(std::vector<token> const& run, std::string_view open, std::string_view close, bool force_space) {
        if (run.empty()) return;
        separator(force_space || run.front().space_before);
        out_ += open;
        for (std::size_t k = 0; k < run.size(); ++k) {
            if (k > 0 && run[k].space_before) out_ += ' ';
            out_ += run[k].text;
        }
        out_ += close;
    }

    std::vector<token> const& a_;
    std::vector<token> const& b_;
    std::vector<op> const& ops_;
    std::string out_;
    bool first_ = true;
};

}  // namespace

std::string word_diff(std::string_view before, std::string_view after) {
    auto const a = tokenize(before), b = tokenize(after);
    std::unordered_map<std::string_view, int> ids;
    auto intern = [&](std::vector<token> const& ts) {
        std::vector<int> out;
        out.reserve(ts.size());
        for (auto const& t : ts) out.push_back(ids.emplace(t.text, static_cast<int>(ids.size())).first->second);
        return out;
    };
    auto const ia = intern(a), ib = intern(b);
    if (ia == ib) return "";

    std::size_t prefix = 0;
    while (prefix < ia.size() && prefix < ib.size() && ia[prefix] == ib[prefix]) ++prefix;
    std::size_t suffix = 0;
    while (suffix < ia.size() - prefix && suffix < ib.size() - prefix &&
           ia[ia.size() - 1 - suffix] == ib[ib.size() - 1 - suffix])
        ++suffix;
    std::size_t const a1 = ia.size() - suffix, b1 = ib.size() - suffix;

    std::vector<op> ops;
    for (std::size_t k = 0; k < prefix; ++k) ops.push_back({op_kind::equal, k, k});
    if ((a1 - prefix) * (b1 - prefix) > diff_max_cells) {
        // Too long for LCS: one replacement showing the start of each side.
        auto const shown_a = std::min(a1 - prefix, diff_summary_words),
                   shown_b = std::min(b1 - prefix, diff_summary_words);
        for (std::size_t k = prefix; k < prefix + shown_a; ++k) ops.push_back({op_kind::del, k, 0});
        if (prefix + shown_a < a1) ops.push_back({op_kind::del_more, 0, 0});
        for (std::size_t k = prefix; k < prefix + shown_b; ++k) ops.push_back({op_kind::ins, k, 0});
        if (prefix + shown_b < b1) ops.push_back({op_kind::ins_more, 0, 0});
    } else {
        lcs_script(ia, ib, prefix, a1, prefix, b1, ops);
    }
    for (std::size_t k = 0; k < suffix; ++k) ops.push_back({op_kind::equal, a1 + k, b1 + k});

    // Hunks: changed ops plus context, merged when the context of neighbours would touch.
    renderer out(a, b, ops);
    std::size_t k = 0, hunk_start = 0, hunk_end = 0;
    bool open = false;
    while (k < ops.size()) {
        if (ops[k].kind == op_kind::equal) {
            ++k;
            continue;
        }
        std::size_t change_end = k;
        while (change_end < ops.size() && ops[change_end].kind != op_kind::equal) ++change_end;
        std::size_t const from = k > diff_context_words ? k - diff_context_words : 0;
        std::size_t const to = std::min(ops.size(), change_end + diff_context_words);
        if (open && from <= hunk_end) {
            hunk_end = to;
        } else {
            if (open) out.hunk(hunk_start, hunk_end);
            hunk_start = from, hunk_end = to, open = true;
        }
        k = change_end;
    }
    if (open) out.hunk(hunk_start, hunk_end);
    return out.finish(hunk_end < ops.size());
}

}  // namespace signoff
