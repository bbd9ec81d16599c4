#include "bot/core/command_words.hpp"

#include <array>

namespace signoff {
namespace {

constexpr std::string_view zh = "zh-Hans zh-Hant";  // written alike in both scripts

constexpr std::array words{
    command_word{"approve", verb::approve, "en"}, command_word{"ok", verb::approve, "en"},
    command_word{"yes", verb::approve, "en"}, command_word{"✅", verb::approve, "", true},
    command_word{"✔", verb::approve, "", true}, command_word{"👍", verb::approve, "", true},
    command_word{"批准", verb::approve, "zh-Hans", true}, command_word{"核准", verb::approve, "zh-Hant", true},
    command_word{"同意", verb::approve, zh, true}, command_word{"通过", verb::approve, "zh-Hans", true},
    command_word{"通過", verb::approve, "zh-Hant", true}, command_word{"स्वीकृत", verb::approve, "hi"},
    command_word{"अनुमोदित", verb::approve, "hi"}, command_word{"patvirtinti", verb::approve, "lt"},
    command_word{"taip", verb::approve, "lt"},

    command_word{"reject", verb::reject, "en"}, command_word{"no", verb::reject, "en"},
    command_word{"❌", verb::reject, "", true}, command_word{"驳回", verb::reject, "zh-Hans", true},
    command_word{"駁回", verb::reject, "zh-Hant", true}, command_word{"拒绝", verb::reject, "zh-Hans", true},
    command_word{"拒絕", verb::reject, "zh-Hant", true}, command_word{"अस्वीकृत", verb::reject, "hi"},
    command_word{"atmesti", verb::reject, "lt"},

    command_word{"changes", verb::changes, "en"}, command_word{"modify", verb::changes, "en"},
    command_word{"edit", verb::changes, "en"}, command_word{"修改", verb::changes, zh, true},
    command_word{"संशोधन", verb::changes, "hi"}, command_word{"pataisyti", verb::changes, "lt"},

    command_word{"reply", verb::reply, "en"}, command_word{"回复", verb::reply, "zh-Hans", true},
    command_word{"回覆", verb::reply, "zh-Hant", true}, command_word{"उत्तर", verb::reply, "hi"},
    command_word{"atsakyti", verb::reply, "lt"},

    command_word{"interim", verb::interim, "en"}, command_word{"ack", verb::interim, "en"},
    command_word{"处理中", verb::interim, "zh-Hans", true}, command_word{"處理中", verb::interim, "zh-Hant", true},
    command_word{"अंतरिम", verb::interim, "hi"}, command_word{"tarpinis", verb::interim, "lt"},

    command_word{"assign", verb::assign, "en"}, command_word{"forward", verb::assign, "en"},
    command_word{"转交", verb::assign, "zh-Hans", true}, command_word{"轉交", verb::assign, "zh-Hant", true},
    command_word{"सौंपें", verb::assign, "hi"}, command_word{"perduoti", verb::assign, "lt"},

    command_word{"pending", verb::pending, "en"}, command_word{"list", verb::pending, "en"},
    command_word{"待办", verb::pending, "zh-Hans", true}, command_word{"待辦", verb::pending, "zh-Hant", true},
    command_word{"लंबित", verb::pending, "hi"}, command_word{"laukia", verb::pending, "lt"},
    command_word{"sąrašas", verb::pending, "lt"},

    command_word{"show", verb::show, "en"}, command_word{"查看", verb::show, zh, true},
    command_word{"देखें", verb::show, "hi"}, command_word{"rodyti", verb::show, "lt"},

    command_word{"history", verb::history, "en"}, command_word{"记录", verb::history, "zh-Hans", true},
    command_word{"記錄", verb::history, "zh-Hant", true}, command_word{"इतिहास", verb::history, "hi"},
    command_word{"istorija", verb::history, "lt"},

    command_word{"away", verb::away, "en"}, command_word{"休假", verb::away, zh, true},
    command_word{"अवकाश", verb::away, "hi"}, command_word{"išvykstu", verb::away, "lt"},

    command_word{"back", verb::back, "en"}, command_word{"返回", verb::back, zh, true},
    command_word{"वापस", verb::back, "hi"}, command_word{"grįžau", verb::back, "lt"},

    command_word{"login", verb::login, "en"}, command_word{"signin", verb::login, "en"},
    command_word{"登录", verb::login, "zh-Hans", true}, command_word{"登入", verb::login, "zh-Hant", true},
    command_word{"लॉगिन", verb::login, "hi"}, command_word{"prisijungti", verb::login, "lt"},

    command_word{"help", verb::help, "en"}, command_word{"帮助", verb::help, "zh-Hans", true},
    command_word{"幫助", verb::help, "zh-Hant", true}, command_word{"मदद", verb::help, "hi"},
    command_word{"pagalba", verb::help, "lt"}, command_word{"?", verb::help, ""},
    command_word{"start", verb::help, "", false, true},
};

bool speaks(std::string_view languages, std::string_view tag) {
    while (!languages.empty()) {
        auto const end = languages.find(' ');
        if (languages.substr(0, end) == tag) return true;
        if (end == std::string_view::npos) break;
        languages.remove_prefix(end + 1);
    }
    return false;
}

}  // namespace

std::span<command_word const> command_words() { return words; }

std::string_view verb_name(verb v) {
    constexpr std::array<std::string_view, 13> names{"approve", "reject", "changes", "reply", "interim",
                                                     "assign",  "pending", "show",   "history", "away",
                                                     "back",    "login",   "help"};
    return names.at(static_cast<std::size_t>(v));
}

std::string_view word_for(verb v, std::string_view tag) {
    for (auto const& w : words)
        if (w.what == v && speaks(w.languages, tag)) return w.word;
    return verb_name(v);
}

}  // namespace signoff
