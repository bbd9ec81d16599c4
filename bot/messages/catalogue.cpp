// The names of kinds, statuses and event types in the three languages. Chinese follows the
// wording of a government office (草稿, 投诉, 待审批, 已办结); Hindi is in Devanagari.

#include <algorithm>
#include <array>
#include <cctype>

#include "bot/messages/parts.hpp"

namespace signoff::chat::detail {
namespace {

struct named {
    std::string_view key;
    phrase name;
};

constexpr std::array kinds{
    named{"draft", {"Draft", "草稿", "मसौदा"}},
    named{"complaint", {"Complaint", "投诉", "शिकायत"}},
    named{"query", {"Query", "咨询", "प्रश्न"}},
    named{"feedback", {"Feedback", "反馈", "प्रतिक्रिया"}},
};

constexpr std::array statuses{
    named{"pending", {"pending approval", "待审批", "अनुमोदन लंबित"}},
    named{"approved", {"approved", "已批准", "स्वीकृत"}},
    named{"published", {"published", "已发布", "प्रकाशित"}},
    named{"rejected", {"rejected", "已驳回", "अस्वीकृत"}},
    named{"changes_requested", {"changes requested", "需修改", "संशोधन अपेक्षित"}},
    named{"withdrawn", {"withdrawn", "已撤回", "वापस लिया गया"}},
    named{"open", {"open", "待处理", "खुला"}},
    named{"acknowledged", {"acknowledged", "已受理", "अंतरिम उत्तर दिया गया"}},
    named{"resolved", {"resolved", "已办结", "निस्तारित"}},
};

constexpr std::array step_statuses{
    named{"waiting", {"waiting", "等待中", "प्रतीक्षारत"}},
    named{"pending", {"awaiting decision", "待审批", "निर्णय लंबित"}},
    named{"approved", {"approved", "已批准", "स्वीकृत"}},
    named{"rejected", {"rejected", "已驳回", "अस्वीकृत"}},
    named{"changes_requested", {"changes requested", "要求修改", "संशोधन माँगा"}},
    named{"skipped", {"skipped", "已跳过", "छोड़ा गया"}},
    named{"superseded", {"superseded", "已作废", "अधिक्रमित"}},
};

constexpr std::array events{
    named{"submitted", {"Submitted", "已提交", "प्रस्तुत"}},
    named{"tier_raised", {"Review tier raised", "审核级别已提高", "समीक्षा स्तर बढ़ाया गया"}},
    named{"step_skipped", {"Step skipped", "审批环节已跳过", "चरण छोड़ा गया"}},
    named{"step_approved", {"Step approved", "本环节已批准", "चरण स्वीकृत"}},
    named{"approved", {"Approved", "已批准", "स्वीकृत"}},
    named{"rejected", {"Rejected", "已驳回", "अस्वीकृत"}},
    named{"changes_requested", {"Changes requested", "要求修改", "संशोधन माँगा गया"}},
    named{"revised", {"New revision", "已提交修改稿", "नया संस्करण"}},
    named{"interim_response", {"Interim response", "已作临时答复", "अंतरिम उत्तर"}},
    named{"replied", {"Replied", "已正式答复", "उत्तर दिया गया"}},
    named{"published", {"Published", "已发布", "प्रकाशित"}},
    named{"withdrawn", {"Withdrawn", "已撤回", "वापस लिया गया"}},
    named{"reassigned", {"Reassigned", "已转交", "पुनः सौंपा गया"}},
    named{"away", {"Away", "休假", "अनुपस्थित"}},
    named{"back", {"Back", "已返回", "वापस उपलब्ध"}},
    named{"escalated", {"Escalated", "已升级处理", "उच्च स्तर पर भेजा गया"}},
    named{"reminder", {"Reminder sent", "已发送提醒", "अनुस्मारक भेजा गया"}},
    named{"message_dead", {"Message undeliverable", "消息无法送达", "संदेश नहीं पहुँचा"}},
};

template <std::size_t N>
std::string lookup(std::array<named, N> const& table, std::string const& key, lang l) {
    auto const found = std::find_if(table.begin(), table.end(), [&](named const& n) { return n.key == key; });
    return found == table.end() ? key : std::string(found->name.in(l));
}

}  // namespace

std::string kind_name(std::string const& kind, lang l, bool capital) {
    auto name = lookup(kinds, kind, l);
    if (!capital && l == lang::en && !name.empty())
        name[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(name[0])));
    return name;
}

std::string status_name(std::string const& status, lang l) { return lookup(statuses, status, l); }

std::string step_status_name(std::string const& status, lang l) { return lookup(step_statuses, status, l); }

std::string event_name(std::string const& type, lang l) { return lookup(events, type, l); }

}  // namespace signoff::chat::detail
