#pragma once
// The words of the chat grammar (SPEC §6): every alias of every command, with the languages it
// belongs to. The parser (bot/chat/commands) reads any of them whatever the sender's language;
// the help text and the hints in messages name a command by its word in the reader's language,
// so what the bot says and what it understands come from this one table.

#include <span>
#include <string_view>

namespace signoff {

enum class verb { approve, reject, changes, reply, interim, assign, pending, show, history, away, back, login, help };

inline constexpr verb all_verbs[] = {verb::approve, verb::reject, verb::changes, verb::reply, verb::interim,
                                     verb::assign,  verb::pending, verb::show,   verb::history, verb::away,
                                     verb::back,    verb::login,   verb::help};

struct command_word {
    std::string_view word;       // in text::fold form (lower case, NFKC)
    verb what;
    std::string_view languages;  // the BCP 47 tags it is a word of, space-separated; "" for all (emoji)
    bool glues = false;          // Chinese or emoji: an id may follow without a space or '#'
    bool slash_only = false;     // only as "/word"
};

std::span<command_word const> command_words();

// The canonical English command: "approve", "reject", "changes", … "help".
std::string_view verb_name(verb v);

// The first word of `v` in the language `tag` (a canonical tag of bot/core/language.hpp), or
// its English word when the language has none.
std::string_view word_for(verb v, std::string_view tag);

}  // namespace signoff
