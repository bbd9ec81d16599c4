#pragma once
// Pure Unicode text functions over UTF-8 strings: validation, normalisation, counting as the
// platforms count, truncation and word splitting. Every function except is_valid_utf8 throws
// std::invalid_argument on input that is not valid UTF-8; callers validate input at the edge.

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace signoff::text {

// True when `s` is well-formed UTF-8: shortest form only, no surrogates (U+D800–DFFF),
// nothing above U+10FFFF, no truncated sequence or stray continuation byte.
bool is_valid_utf8(std::string_view s);

// Unicode Normalization Form C.
std::string nfc(std::string_view s);

// NFKC_Casefold: compatibility composition, full case folding and removal of default-ignorable
// code points (soft hyphen, zero-width space/joiner), so "ＳＴＲＡẞＥ", "Stra\u00ADsse" and
// "strasse" fold equal. For case-insensitive matching only, never for display. No locale
// tailoring: Turkish "İ" folds to "i\u0307" and "ı" stays "ı", so neither matches "i".
std::string fold(std::string_view s);

// Number of code points of nfc(s): "e\u0301" counts 1.
std::size_t code_points(std::string_view s);

// Length as X counts it (twitter-text v3): over nfc(s), each http(s):// URL counts 23;
// code points in U+0000–10FF, U+2000–200D, U+2010–201F and U+2032–2037 count 1, others 2;
// an emoji sequence (with U+FE0F, skin tones, ZWJ joins, flag pairs, keycaps) counts 2 in
// total. Bare domains ("example.com") are not recognised as URLs and count per character.
std::size_t x_weighted_length(std::string_view s);

// What a platform counts in a length: UTF-16 code units (Telegram, WhatsApp), bytes (WeCom's
// byte limits) or code points as they are, not normalised (WeCom's character limits).
enum class unit { utf16, bytes, code_points };

// The length of `s` in `u`; "e\u0301" is 2 code points here (code_points above counts 1).
std::size_t length(std::string_view s, unit u);

// Bytes of the longest prefix of `s` made of whole grapheme clusters for which `fits` holds,
// or nullopt when not even "" fits. Never cuts a UTF-8 sequence, a combining mark from its
// base or an emoji sequence. NB: `fits` must be monotone (true for a prefix, true for every
// shorter one); it is called O(log n) times.
std::optional<std::size_t> longest_fitting_prefix(std::string_view s,
                                                  std::function<bool(std::string_view prefix)> const& fits);

// The longest prefix of `s` (unchanged bytes, not normalised) made of whole grapheme
// clusters with at most `max` code points. A single cluster longer than `max` yields "".
std::string truncate_code_points(std::string_view s, std::size_t max);

// `s` itself when it is at most `max` long in `u`; otherwise its longest whole-cluster prefix
// that leaves room for `ellipsis`, followed by `ellipsis` — "" when not even that fits.
std::string cut_with_ellipsis(std::string_view s, std::size_t max, unit u, std::string_view ellipsis = "\u2026");

// Unicode White_Space: ASCII space and controls \t\n\v\f\r, U+0085, and categories Zs, Zl,
// Zp such as U+00A0 and U+3000.
bool is_white_space(char32_t c);

// The non-empty runs of `s` between Unicode white space (White_Space: ASCII space and
// controls \t\n\v\f\r, U+0085, and categories Zs, Zl, Zp such as U+00A0 and U+3000).
std::vector<std::string> split_words(std::string_view s);

}  // namespace signoff::text
