// The chat grammar of SPEC §6, generated for each language from the table the parser reads
// (bot/core/command_words.hpp): one line per command, named by its word in the reader's
// language ("help.<verb>" in the catalogue), then every other word it answers to.

#include "bot/core/command_words.hpp"
#include "bot/messages/messages.hpp"
#include "bot/messages/parts.hpp"

namespace signoff::chat {
using namespace detail;
namespace {

constexpr message_key header{"help.header"};
constexpr message_key also{"help.also"};
constexpr message_key separator{"help.separator"};
constexpr message_key footer{"help.footer"};

}  // namespace

std::string render_help(std::string const& language) {
    auto const l = to_lang(language);
    std::vector<std::string> lines{say(header, l)};
    for (auto const v : all_verbs) {
        auto const own = word_for(v, tag_of(l));
        std::vector<std::string> others;
        for (auto const& w : command_words())
            if (w.what == v && w.word != own && !w.slash_only) others.emplace_back(w.word);
        auto line = fill(text(l, "help." + std::string(verb_name(v))), l, {});
        if (!others.empty()) line += say(also, l, {{"words", join(others, say(separator, l))}});
        lines.push_back(std::move(line));
    }
    lines.push_back(say(footer, l));
    return fit(join(lines, "\n"), max_message_utf16);
}

}  // namespace signoff::chat
