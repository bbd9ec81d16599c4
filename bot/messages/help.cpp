// The chat grammar of SPEC §6, written out for each language. Every language lists every
// alias, since the parser accepts them all whatever the sender's language.

#include "bot/messages/messages.hpp"
#include "bot/messages/parts.hpp"

namespace signoff::chat {
namespace {

constexpr detail::phrase help{
    R"(Commands (upper or lower case, with or without /; # before an id is optional):
approve 42 [note] — approve your step of the current revision (also: ok, yes, ✅, 👍, 批准, 同意, 通过, स्वीकृत, अनुमोदित)
reject 42 reason — reject; the reason is required (also: no, ❌, 驳回, 拒绝, अस्वीकृत)
changes 42 what — ask for changes; the submitter is told (also: modify, edit, 修改, संशोधन)
interim 42 text — interim response to a complaint, query or feedback (also: ack, 处理中, अंतरिम)
reply 42 text — final response; the item is resolved (also: 回复, उत्तर)
assign 42 person — hand your item to someone else (also: forward, 转交)
pending — what waits for you, oldest due first (also: list, 待办, लंबित)
show 42 — the item, its checks and steps (also: 查看)
history 42 — everything that happened to it (also: 记录)
away [until 2026-12-01] — you are away; your stand-in decides meanwhile (also: 休假)
back — you are available again (also: 返回)
help — this message (also: 帮助, मदद)
Reply to one of my messages about an item to leave the id out: "ok", "reject too long".)",

    R"(命令（不区分大小写，可带或不带 /，编号前的 # 可省略）：
批准 42 [备注] — 批准您负责的当前版本审批环节（也可用：approve、同意、通过、ok、yes、✅、👍、स्वीकृत、अनुमोदित）
驳回 42 原因 — 驳回，须说明原因（也可用：reject、拒绝、no、❌、अस्वीकृत）
修改 42 修改意见 — 要求修改，并通知提交方（也可用：changes、modify、edit、संशोधन）
处理中 42 内容 — 对投诉、咨询或反馈作临时答复（也可用：interim、ack、अंतरिम）
回复 42 内容 — 正式答复，事项办结（也可用：reply、उत्तर）
转交 42 人员编号 — 将您的事项转交他人处理（也可用：assign、forward）
待办 — 待您处理的事项，按截止时间先后排列（也可用：pending、list、लंबित）
查看 42 — 查看事项内容、检查结果和审批环节（也可用：show）
记录 42 — 查看事项的全部办理记录（也可用：history）
休假 [until 2026-12-01] — 设为休假，期间由代理人审批（也可用：away）
返回 — 结束休假（也可用：back）
帮助 — 显示本说明（也可用：help、मदद）
回复我关于某一事项的消息时可省略编号，例如：“ok”“驳回 篇幅过长”。)",

    R"(आदेश (बड़े या छोटे अक्षर, / के साथ या बिना; संख्या से पहले # वैकल्पिक):
स्वीकृत 42 [टिप्पणी] — वर्तमान संस्करण का अपना चरण स्वीकृत करें (यह भी: approve, अनुमोदित, ok, yes, ✅, 👍, 批准, 同意, 通过)
अस्वीकृत 42 कारण — अस्वीकृत करें; कारण आवश्यक है (यह भी: reject, no, ❌, 驳回, 拒绝)
संशोधन 42 क्या बदलना है — संशोधन माँगें; प्रस्तुतकर्ता को सूचना जाती है (यह भी: changes, modify, edit, 修改)
अंतरिम 42 पाठ — शिकायत, प्रश्न या प्रतिक्रिया का अंतरिम उत्तर (यह भी: interim, ack, 处理中)
उत्तर 42 पाठ — अंतिम उत्तर; मामला निस्तारित होता है (यह भी: reply, 回复)
assign 42 व्यक्ति — अपना मामला किसी और को सौंपें (यह भी: forward, 转交)
लंबित — आपके लिए लंबित मामले, सबसे पहले देय मामला पहले (यह भी: pending, list, 待办)
show 42 — मामला, उसकी जाँच और चरण (यह भी: 查看)
history 42 — मामले का पूरा इतिहास (यह भी: 记录)
away [until 2026-12-01] — अनुपस्थिति; इस दौरान आपके स्थान पर दूसरे अधिकारी निर्णय लेंगे (यह भी: 休假)
back — आप फिर से उपलब्ध हैं (यह भी: 返回)
मदद — यह संदेश (यह भी: help, 帮助)
किसी मामले के बारे में मेरे संदेश का उत्तर देते समय संख्या छोड़ी जा सकती है: "ok", "अस्वीकृत बहुत लंबा"।)"};

}  // namespace

std::string render_help(std::string const& language) { return std::string(help.in(detail::to_lang(language))); }

}  // namespace signoff::chat
