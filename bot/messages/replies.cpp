// Answers to the person who sent a command: what took effect, or why nothing did.

#include "bot/messages/messages.hpp"
#include "bot/messages/parts.hpp"

namespace signoff::chat {
using namespace detail;
namespace {

constexpr phrase approved_next{"✅ You approved {ref}. It goes to {name} next.",
                               "✅ 您已批准{ref}，下一步由 {name} 审批。",
                               "✅ आपने {ref} स्वीकृत किया। अब यह {name} के पास जाएगा।"};
constexpr phrase approved_fully{"✅ You approved {ref}. It is fully approved and ready to publish.",
                                "✅ 您已批准{ref}，审批全部完成，可以发布。",
                                "✅ आपने {ref} स्वीकृत किया। यह पूरी तरह स्वीकृत है और प्रकाशन के लिए तैयार है।"};
constexpr phrase rejected{"❌ You rejected {ref}. The submitter is told.", "❌ 您已驳回{ref}，已通知提交方。",
                          "❌ आपने {ref} अस्वीकृत किया। प्रस्तुतकर्ता को सूचित कर दिया गया है।"};
constexpr phrase changes{"✏️ You asked for changes to {ref}. The submitter is told and will send a new revision.",
                         "✏️ 您已要求修改{ref}，已通知提交方重新提交。",
                         "✏️ आपने {ref} में संशोधन माँगा। प्रस्तुतकर्ता को सूचित कर दिया गया है; वे नया संस्करण "
                         "भेजेंगे।"};
constexpr phrase interim{"💬 Interim response recorded for {ref}. The final reply is due {time}.",
                         "💬 已记录{ref} 的临时答复，正式答复截止 {time}。",
                         "💬 {ref} का अंतरिम उत्तर दर्ज हुआ। अंतिम उत्तर की समय-सीमा {time} है।"};
constexpr phrase replied{"✔ Reply recorded; {ref} is resolved.", "✔ 已记录答复，{ref} 已办结。",
                         "✔ उत्तर दर्ज हुआ; {ref} निस्तारित।"};
constexpr phrase assigned{"➡️ {ref} is now with {name}; it has been sent to them.",
                          "➡️ {ref} 已转交 {name}，并已发送给对方。",
                          "➡️ {ref} अब {name} के पास है; उन्हें भेज दिया गया "
                          "है।"};
constexpr phrase away_until{"🌴 You are away until {time}.", "🌴 您已设为休假，至 {time}。", "🌴 आप {time} तक अनुपस्थित हैं।"};
constexpr phrase away_open{"🌴 You are away. Send \"back\" when you return.", "🌴 您已设为休假，返回时请发送“返回”。",
                           "🌴 आप अनुपस्थित हैं। लौटने पर \"back\" भेजें।"};
constexpr phrase stand_ins{"{names} will stand in for you.", "期间由 {names} 代为处理。",
                           "इस दौरान {names} आपका कार्य देखेंगे।"};
constexpr phrase no_stand_in{"No one stands in for you; your items wait for your return.",
                             "无人代为处理，您的事项将等待您返回。",
                             "आपके स्थान पर कोई नहीं है; आपके मामले आपकी वापसी तक रुके रहेंगे।"};
constexpr phrase back{"👋 Welcome back. New items come to you again.", "👋 欢迎回来，新事项将重新发送给您。",
                      "👋 वापसी पर स्वागत है। नए मामले फिर से आपको भेजे जाएँगे।"};

constexpr phrase not_found{"There is no item #{id}.", "没有编号为 #{id} 的事项。", "मामला #{id} मौजूद नहीं है।"};
constexpr phrase not_assignee{"{ref} waits for {name}, not for you.", "{ref} 正在等待 {name} 处理，而不是您。",
                              "{ref} {name} की प्रतीक्षा में है, आपकी नहीं।"};
constexpr phrase waits_for_nobody{"{ref} is not waiting for anyone (status: {status}).",
                                  "{ref} 当前无需任何人处理（状态：{status}）。",
                                  "{ref} किसी की प्रतीक्षा में नहीं है (स्थिति: {status})।"};
constexpr phrase stale{"{ref} changed since this button was sent: revision {rev} is current. Here is the new version.",
                       "{ref} 在此按钮发出后已修改，当前为第 {rev} 版。以下为新版本。",
                       "यह बटन भेजे जाने के बाद {ref} बदल गया है: अब संस्करण {rev} चालू है। नया संस्करण नीचे है।"};
constexpr phrase invalid{"{ref} is {status}; that cannot be done now.", "{ref} 当前状态为“{status}”，无法执行此操作。",
                         "{ref} की स्थिति \"{status}\" है; यह कार्य अभी नहीं हो सकता।"};
constexpr phrase ask_reason{"Why reject #{id}? Reply to this message with the reason.",
                            "驳回 #{id} 的原因是什么？请回复此消息说明原因。",
                            "#{id} को अस्वीकृत करने का कारण क्या है? कृपया इस संदेश के उत्तर में कारण लिखें।"};
constexpr phrase ask_changes{"What should change in #{id}? Reply to this message with what to change.",
                             "#{id} 需要修改什么？请回复此消息说明修改意见。",
                             "#{id} में क्या बदलना है? कृपया इस संदेश के उत्तर में लिखें।"};
constexpr phrase ask_interim{"What should the interim response to #{id} say? Reply to this message with the text.",
                             "对 #{id} 的临时答复内容是什么？请回复此消息填写内容。",
                             "#{id} का अंतरिम उत्तर क्या हो? कृपया इस संदेश के उत्तर में पाठ लिखें।"};
constexpr phrase ask_reply{"What is the reply to #{id}? Reply to this message with the text.",
                           "对 #{id} 的正式答复内容是什么？请回复此消息填写内容。",
                           "#{id} का अंतिम उत्तर क्या हो? कृपया इस संदेश के उत्तर में पाठ लिखें।"};
constexpr phrase ask_person{"To whom should #{id} go? For example: assign {id} person-id",
                            "#{id} 要转交给谁？例如：转交 {id} 人员编号",
                            "#{id} किसे सौंपना है? उदाहरण: assign {id} व्यक्ति-आईडी"};
constexpr phrase drafts_only{
    "{ref} is answered with approve, reject or changes; interim and reply are for complaints, queries and feedback.",
    "{ref} 请用“批准”“驳回”或“修改”处理；“处理中”和“回复”仅用于投诉、咨询和反馈。",
    "{ref} के लिए स्वीकृत, अस्वीकृत या संशोधन का प्रयोग करें; अंतरिम और उत्तर शिकायत, प्रश्न और प्रतिक्रिया के लिए हैं।"};
constexpr phrase responses_only{"{ref} is answered with \"interim {id} text\" or \"reply {id} text\".",
                                "{ref} 请用“处理中 {id} 内容”（临时答复）或“回复 {id} 内容”（正式答复）处理。",
                                "{ref} का उत्तर \"अंतरिम {id} पाठ\" या \"उत्तर {id} पाठ\" से दें।"};
constexpr phrase unknown_person{"There is no person \"{person}\" in the directory.", "通讯录中没有“{person}”。",
                                "निर्देशिका में \"{person}\" नाम का कोई व्यक्ति नहीं है।"};
constexpr phrase unknown_person_unnamed{"There is no such person in the directory.", "通讯录中没有此人。",
                                        "निर्देशिका में ऐसा कोई व्यक्ति नहीं है।"};
constexpr phrase invalid_date{"I could not read that date. Write it like: away until 2026-12-01",
                              "无法识别该日期，请按此格式填写：休假 until 2026-12-01",
                              "यह तारीख समझ नहीं आई। इस तरह लिखें: away until 2026-12-01"};
constexpr phrase until_in_past{"That date has passed. Give a later one, like: away until 2026-12-01",
                               "该日期已过，请填写之后的日期，例如：休假 until 2026-12-01",
                               "यह तारीख बीत चुकी है। आगे की तारीख दें, जैसे: away until 2026-12-01"};
constexpr phrase failed{"Sorry, that did not work for #{id}: {detail}", "抱歉，#{id} 的操作未成功：{detail}",
                        "क्षमा करें, #{id} के लिए यह नहीं हो सका: {detail}"};
constexpr phrase failed_no_item{"Sorry, that did not work: {detail}", "抱歉，操作未成功：{detail}",
                                "क्षमा करें, यह नहीं हो सका: {detail}"};

constexpr phrase unknown_command{"I did not understand that. Send help for the commands.",
                                 "没有理解您的意思。发送“帮助”查看命令。", "मैं यह नहीं समझ पाया। आदेशों के लिए \"मदद\" भेजें।"};
constexpr phrase missing_id{"Which item? For example: approve 42 — or reply to the item's message.",
                            "请问是哪一个事项？例如：批准 42，或直接回复该事项的消息。",
                            "कौन-सा मामला? उदाहरण: स्वीकृत 42 — या उस मामले के संदेश का उत्तर दें।"};
constexpr phrase group_chat{"Please write to me in a private chat.", "请在私聊中给我发消息。",
                            "कृपया मुझे निजी चैट में लिखें।"};
constexpr phrase stranger{"This bot serves the {org} response team; your account is not in its directory.",
                          "本机器人仅为 {org} 回应团队服务，您的账号不在其通讯录中。",
                          "यह बॉट {org} की प्रतिक्रिया टीम के लिए है; आपका खाता इसकी निर्देशिका में नहीं है।"};

std::string ref_of(item const& it, lang l) { return item_ref(it, l, false); }

std::string ask(refusal const& r, lang l) {
    auto const id = std::to_string(r.id);
    if (r.command == "changes") return say(ask_changes, l, {{"id", id}});
    if (r.command == "interim") return say(ask_interim, l, {{"id", id}});
    if (r.command == "reply") return say(ask_reply, l, {{"id", id}});
    if (r.command == "assign" || r.code == "person_required") return say(ask_person, l, {{"id", id}});
    return say(r.code == "reason_required" ? ask_reason : ask_reply, l, {{"id", id}});
}

}  // namespace

std::string confirm_approved(config::config const& cfg, item const& it, std::optional<std::string> const& next_person,
                             std::string const& language) {
    auto const l = to_lang(language);
    if (next_person) return say(approved_next, l, {{"ref", ref_of(it, l)}, {"name", person_name(cfg, *next_person)}});
    return say(approved_fully, l, {{"ref", ref_of(it, l)}});
}

std::string confirm_rejected(config::config const&, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    return say(rejected, l, {{"ref", ref_of(it, l)}});
}

std::string confirm_changes(config::config const&, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    return say(changes, l, {{"ref", ref_of(it, l)}});
}

std::string confirm_interim(config::config const& cfg, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    return say(interim, l, {{"ref", ref_of(it, l)}, {"time", local_time(cfg, it.due, l)}});
}

std::string confirm_reply(config::config const&, item const& it, std::string const& language) {
    auto const l = to_lang(language);
    return say(replied, l, {{"ref", ref_of(it, l)}});
}

std::string confirm_assigned(config::config const& cfg, item const& it, std::string const& person,
                             std::string const& language) {
    auto const l = to_lang(language);
    return say(assigned, l, {{"ref", item_ref(it, l)}, {"name", person_name(cfg, person)}});
}

std::string confirm_away(config::config const& cfg, std::optional<millis> until,
                         std::vector<std::string> const& stand_in_ids, std::string const& language) {
    auto const l = to_lang(language);
    std::string out = until ? say(away_until, l, {{"time", local_time(cfg, *until, l)}}) : say(away_open, l);
    std::vector<std::string> names;
    for (auto const& id : stand_in_ids) names.push_back(person_name(cfg, id));
    out += "\n" + (names.empty() ? say(no_stand_in, l) : say(stand_ins, l, {{"names", join(names, ", ")}}));
    return fit(out, max_message_utf16);
}

std::string confirm_back(std::string const& language) { return say(back, to_lang(language)); }

std::string render_refusal(config::config const& cfg, refusal const& r, std::string const& language) {
    auto const l = to_lang(language);
    auto const id = std::to_string(r.id);
    // Without the item, name it by its number alone.
    auto const ref = r.current ? item_ref(*r.current, l) : "#" + id;
    auto const status = r.current ? status_name(r.current->status, l) : std::string();
    std::string out;
    if (r.code == "not_found" && r.id != 0) {
        out = say(not_found, l, {{"id", id}});
    } else if (r.code == "not_assignee") {
        out = r.current && r.current->assignee
                  ? say(not_assignee, l, {{"ref", ref}, {"name", person_name(cfg, *r.current->assignee)}})
                  : say(waits_for_nobody, l, {{"ref", ref}, {"status", status}});
    } else if (r.code == "stale_revision") {
        auto const rev = r.current ? std::to_string(r.current->revision) : std::string("?");
        out = say(stale, l, {{"ref", ref}, {"rev", rev}});
    } else if (r.code == "invalid_transition" && r.current) {
        out = say(invalid, l, {{"ref", ref}, {"status", status}});
    } else if (r.code == "reason_required" || r.code == "text_required" || r.code == "person_required") {
        out = ask(r, l);
    } else if (r.code == "not_applicable" && r.current) {
        out = say(is_draft_kind(r.current->kind) ? drafts_only : responses_only, l, {{"ref", ref}, {"id", id}});
    } else if (r.code == "unknown_person") {
        out = r.person.empty() ? say(unknown_person_unnamed, l) : say(unknown_person, l, {{"person", r.person}});
    } else if (r.code == "invalid_date") {
        out = say(invalid_date, l);
    } else if (r.code == "until_in_past") {
        out = say(until_in_past, l);
    } else {
        out =
            r.id ? say(failed, l, {{"id", id}, {"detail", r.detail}}) : say(failed_no_item, l, {{"detail", r.detail}});
    }
    return fit(out, max_message_utf16);
}

std::string render_unknown_command(std::string const& language) { return say(unknown_command, to_lang(language)); }

std::string render_missing_id(std::string const& language) { return say(missing_id, to_lang(language)); }

std::string render_group_chat(std::string const& language) { return say(group_chat, to_lang(language)); }

std::string render_stranger(config::config const& cfg) {
    std::string const org = cfg.organisation.empty() ? std::string("signoff") : cfg.organisation;
    return fit(say(stranger, lang::en, {{"org", org}}) + "\n" + say(stranger, lang::zh, {{"org", org}}) + "\n" +
                   say(stranger, lang::hi, {{"org", org}}),
               max_message_utf16);
}

}  // namespace signoff::chat
