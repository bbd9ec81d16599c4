#pragma once
// A compact word-level diff of two texts for people to read on a phone: what an approver
// sees as "Changes since revision N". Pure; input must be valid UTF-8 (else
// std::invalid_argument, as in bot/text.hpp).

#include <cstddef>
#include <string>
#include <string_view>

namespace signoff {

constexpr std::size_t diff_context_words = 4;      // unchanged words shown each side of a change
constexpr std::size_t diff_max_cells = 4'000'000;  // LCS table bound (tokens × tokens)
constexpr std::size_t diff_summary_words = 12;     // words shown of each side when over the bound

// Tokens are runs between Unicode white space, except that each CJK ideograph, kana or CJK
// punctuation mark is a token of its own. Output shows only the changed regions with up to
// diff_context_words tokens of context, "…" where text is skipped, deletions as
// "[-old words-]" and insertions as "{+new words+}" (a replacement is "[-old-] {+new+}").
// Tokens keep their original spacing, so CJK reads without inserted spaces. Returns "" when
// the token sequences are equal (white-space-only changes are not shown).
// Cost: the common prefix and suffix are trimmed first; when the rest is longer than
// diff_max_cells tokens × tokens, it is summarised as one replacement showing the first
// diff_summary_words of each side, so time and memory stay linear on large texts.
// Example: "… on 14 October 2026" → "… on 14 Oct 2026" gives
// "…Standards Day on 14 [-October-] {+Oct+} 2026".
std::string word_diff(std::string_view before, std::string_view after);

}  // namespace signoff
